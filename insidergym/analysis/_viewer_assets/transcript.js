// insidergym transcript viewer, transcript page: view switches only (the transcript itself is static HTML).
"use strict";
(function () {
  const switches = { "t-flagged": "only-flagged", "t-minor": "hide-minor" };
  for (const id of Object.keys(switches)) {
    const box = document.getElementById(id);
    if (!box) continue;
    const apply = () => document.body.classList.toggle(switches[id], box.checked);
    box.addEventListener("change", apply);
    apply();
  }
  const expand = document.getElementById("t-expand");
  if (expand) {
    expand.addEventListener("change", () => {
      for (const d of document.querySelectorAll(".timeline details")) d.open = expand.checked;
    });
  }
})();
