'use strict';
// Starts s3rver 3.7.1 for local runs and tests (deploy/local/services.sh starts this file with
// `node --openssl-legacy-provider`: s3rver encrypts ListObjectsV2 continuation tokens with DES, which
// OpenSSL 3 only offers through its legacy provider, so truncated listings fail without that flag).
//
// Why a launcher instead of the s3rver CLI: the CLI cannot make CORS permissive for buckets that
// clients create later, and it does not shut down on SIGTERM by closing the listener first.
//
// Settings come from the environment:
//   CDIFF_S3_ADDRESS  address to bind (default 127.0.0.1)
//   CDIFF_S3_PORT     port (default 54569)
//   CDIFF_S3_DIR      data folder (required)
//   CDIFF_S3_BUCKETS  comma-separated buckets to create at start-up (optional)
// Credentials: s3rver knows the single access key S3RVER (secret S3RVER). Signatures are not checked
// (SigV4 is not implemented in s3rver and mismatched V2 signatures are allowed below).

const fs = require('fs');
const S3rver = require('s3rver');
const { getConfigModel } = require('s3rver/lib/models/config');

// Allows every origin, method and header: this server only ever listens on loopback.
const allowAllCors = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>DELETE</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

const directory = process.env.CDIFF_S3_DIR;
if (!directory) {
  console.error('CDIFF_S3_DIR is not set');
  process.exit(2);
}
fs.mkdirSync(directory, { recursive: true });

const buckets = (process.env.CDIFF_S3_BUCKETS || '')
  .split(',')
  .map(name => name.trim())
  .filter(name => name.length > 0)
  .map(name => ({ name, configs: [allowAllCors] }));

const server = new S3rver({
  address: process.env.CDIFF_S3_ADDRESS || '127.0.0.1',
  port: Number(process.env.CDIFF_S3_PORT || 54569),
  directory,
  silent: true,
  allowMismatchedSignatures: true,
  configureBuckets: buckets,
});

// s3rver answers CORS only for buckets that carry a CORS configuration. Buckets created by tests
// through the S3 API have none, so a bucket without its own configuration gets the allow-all one.
// (Reaches into s3rver's store; the version is pinned in package.json.)
const corsFallback = getConfigModel('cors').validate(allowAllCors);
const getSubresource = server.store.getSubresource.bind(server.store);
server.store.getSubresource = async (bucket, key, type) => {
  const config = await getSubresource(bucket, key, type);
  return config || (type === 'cors' && key === undefined ? corsFallback : config);
};

server.run().then(
  ({ address, port }) => console.log(`s3rver ${require('s3rver/package.json').version} listening on ${address}:${port}, data ${directory}`),
  err => {
    console.error(err);
    process.exit(1);
  },
);

// Stop accepting connections, then exit; a stuck keep-alive connection must not block `down`.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    console.log(`s3rver: ${signal}, shutting down`);
    server.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}
