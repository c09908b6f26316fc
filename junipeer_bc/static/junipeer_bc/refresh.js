// Parts of a page marked data-refresh (each with an id) reload by themselves every
// data-refresh-seconds of the <main> element: the page is fetched again and those parts swapped in.
// A static file: the Content-Security-Policy allows no inline script.
(() => {
  const main = document.querySelector("main[data-refresh-seconds]");
  if (!main) return;
  const seconds = Math.max(5, parseInt(main.dataset.refreshSeconds, 10) || 15);
  const refresh = async () => {
    if (document.hidden) return;
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    document.querySelectorAll("[data-refresh][id]").forEach((part) => {
      const replacement = fresh.getElementById(part.id);
      if (replacement) part.replaceWith(replacement);
    });
  };
  window.setInterval(() => refresh().catch(() => {}), seconds * 1000);
})();
