// A table that is wider than its region scrolls sideways inside it. Only then is the region a stop for the
// keyboard (tabindex="0", so it can be scrolled with the arrow keys) and marked, for the hint that it scrolls;
// a table that fits is no extra stop. Without this script every table region stays focusable.
(function () {
  "use strict";
  function update() {
    var regions = document.querySelectorAll(".tabel[role='region']");
    for (var i = 0; i < regions.length; i++) {
      var region = regions[i];
      var scrolls = region.scrollWidth > region.clientWidth + 1;
      if (scrolls) {
        region.setAttribute("tabindex", "0");
        region.classList.add("schuift");
      } else {
        region.removeAttribute("tabindex");
        region.classList.remove("schuift");
      }
    }
  }
  var pending = false;
  function later() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () { pending = false; update(); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("resize", later);
  window.addEventListener("load", update);
})();
