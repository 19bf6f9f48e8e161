// The cdiff dashboard's one script: live regions and confirmations. No framework, no CDN.
//
// Live updates: every 2 s the page fetches its own URL and swaps each element marked data-live (by id)
// whose markup changed. The server renders a region the same way for the first load and for every
// refresh, so there is one view of each thing, not a server view and a JavaScript copy of it.
(() => {
  const interval = 2000;
  const status = () => document.getElementById("live-status");

  async function refresh() {
    if (document.hidden || !document.querySelector("[data-live]")) return;
    try {
      const response = await fetch(location.href, { cache: "no-store", headers: { "X-Dashboard-Refresh": "1" } });
      // A session that ended redirects to the login page: show it.
      if (response.redirected && new URL(response.url).pathname.endsWith("/login")) { location.reload(); return; }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const region of document.querySelectorAll("[data-live]")) {
        const next = fresh.getElementById(region.id);
        if (next && next.innerHTML !== region.innerHTML) region.innerHTML = next.innerHTML;
      }
      status()?.classList.remove("stale");
      if (status()) status().textContent = "live";
    } catch (e) {
      status()?.classList.add("stale");
      if (status()) status().textContent = "offline";
    }
  }

  // Confirmation of destructive actions (cancel, promote), also for forms added by a refresh.
  document.addEventListener("submit", (event) => {
    const question = event.target.dataset?.confirm;
    if (question && !confirm(question)) event.preventDefault();
  });

  setInterval(refresh, interval);
})();
