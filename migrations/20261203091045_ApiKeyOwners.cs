using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ContextDiffusion.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ApiKeyOwners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_batches_idempotency_key",
                table: "batches");

            migrationBuilder.AddColumn<string>(
                name: "owner",
                table: "training_runs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "owner",
                table: "batches",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "owner",
                table: "api_keys",
                type: "text",
                nullable: false,
                defaultValue: "");

            // Keys made before owners act for themselves, and their batches belong to them. The bootstrap keys share
            // the owner a fresh install gives them (so the bootstrap reader sees what the bootstrap key submitted), and
            // the key of Server:BootstrapApiKey is now an admin's, as a fresh install makes it.
            migrationBuilder.Sql("UPDATE api_keys SET owner = CASE WHEN name IN ('bootstrap-writer', 'bootstrap-reader') THEN 'bootstrap' ELSE name END");
            migrationBuilder.Sql("UPDATE api_keys SET role = 'Admin' WHERE name = 'bootstrap-writer'");
            migrationBuilder.Sql("UPDATE batches SET owner = CASE WHEN submitted_by IN ('bootstrap-writer', 'bootstrap-reader') THEN 'bootstrap' ELSE coalesce(submitted_by, '') END");

            migrationBuilder.CreateIndex(
                name: "ix_batches_owner_created_at",
                table: "batches",
                columns: new[] { "owner", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_batches_owner_idempotency_key",
                table: "batches",
                columns: new[] { "owner", "idempotency_key" },
                unique: true,
                filter: "idempotency_key IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_batches_owner_created_at",
                table: "batches");

            migrationBuilder.DropIndex(
                name: "ix_batches_owner_idempotency_key",
                table: "batches");

            migrationBuilder.DropColumn(
                name: "owner",
                table: "training_runs");

            migrationBuilder.DropColumn(
                name: "owner",
                table: "batches");

            migrationBuilder.DropColumn(
                name: "owner",
                table: "api_keys");

            migrationBuilder.CreateIndex(
                name: "ix_batches_idempotency_key",
                table: "batches",
                column: "idempotency_key",
                unique: true,
                filter: "idempotency_key IS NOT NULL");
        }
    }
}
