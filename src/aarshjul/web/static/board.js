/* The board's wheel: hovering or focusing a phase arc shows that phase's numbers in the panel
   beside the wheel (the blocks are rendered by the server, hidden; this only picks one).
   No inline script or handler: the page's CSP is default-src 'self'. */
(function () {
  "use strict";
  function itemOf(target) {
    if (!target || !target.closest) { return null; }
    var item = target.closest(".wheel-item");
    if (!item && target.querySelector) { item = target.querySelector(".wheel-item"); }
    return item;
  }
  function show(panel, key) {
    var blocks = panel.querySelectorAll("[data-info-for]");
    var found = null;
    for (var i = 0; i < blocks.length; i++) {
      var match = blocks[i].getAttribute("data-info-for") === key;
      blocks[i].hidden = !match;
      if (match) { found = blocks[i]; }
    }
    var hint = panel.querySelector("[data-info-default]");
    if (hint) { hint.hidden = found !== null; }
    panel.classList.toggle("active", found !== null);
  }
  function wire() {
    var wheel = document.querySelector(".wheel-figure svg");
    var panel = document.getElementById("wheel-info");
    if (!wheel || !panel) { return; }
    function pick(event) {
      var item = itemOf(event.target);
      if (item && item.classList.contains("wheel-phase")) {
        show(panel, item.getAttribute("data-key"));
      }
    }
    wheel.addEventListener("mouseover", pick);
    wheel.addEventListener("focusin", pick);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
