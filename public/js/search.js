// Global search from the keyboard: "/" anywhere (outside a text field) puts the cursor in the top
// bar's search box; on the results page the arrow keys move through the results, Enter opens one.
// Without this script, the box is a plain form and the results a plain page.
(function () {
  "use strict";
  const typing = (el) =>
    Boolean(el) && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

  document.addEventListener("keydown", (event) => {
    if (
      event.key === "/" &&
      !event.ctrlKey &&
      !event.metaKey &&
      !event.altKey &&
      !typing(event.target)
    ) {
      // The results page's own box, else the top bar's, else the dashboard's (phones).
      const box = ["search-page-q", "topbar-search-q", "dashboard-search-q"]
        .map((id) => document.getElementById(id))
        .find((el) => el && el.offsetParent !== null);
      if (!box) return;
      event.preventDefault();
      box.focus();
      box.select();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const results = Array.from(document.querySelectorAll("[data-search-result]"));
    if (!results.length) return;
    const active = document.activeElement;
    const at = results.indexOf(active);
    const inBox = active && (active.id === "search-page-q" || active.id === "topbar-search-q");
    if (at < 0 && !inBox) return;
    event.preventDefault();
    const next =
      event.key === "ArrowDown" ? Math.min(at + 1, results.length - 1) : at <= 0 ? -1 : at - 1;
    if (next < 0) document.getElementById("search-page-q")?.focus();
    else results[next].focus();
  });
})();
