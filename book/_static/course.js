/* Course website glue, loaded on every page. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  /* Widgets typeset the LaTeX in their labels ($\eta$) with the MathJax 2 call
   * MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]), but the site runs MathJax 3
   * (vendored, see tools/vendor_assets.py), configured by MyST to read only \( \) and
   * \[ \] and only inside elements of class "math"/"mathjax_process". Translate: turn
   * $...$ in the element's text into \(...\), mark it for processing, typeset it.
   * MathJax (a deferred script) has run by now; widgets render later, on window load. */
  var mj = window.MathJax;
  if (mj && mj.startup && !mj.Hub) {
    var typeset = function (element) {
      var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        var text = walker.currentNode;
        text.data = text.data.replace(/\$\$([^$]+)\$\$/g, "\\[$1\\]")
                             .replace(/\$([^$]+)\$/g, "\\($1\\)");
      }
      element.classList.add("mathjax_process");
      return mj.startup.promise.then(function () { return mj.typesetPromise([element]); });
    };
    mj.Hub = {
      Queue: function () {
        Array.prototype.forEach.call(arguments, function (command) {
          if (Array.isArray(command) && command[0] === "Typeset" && command[2]) {
            typeset(command[2]);
          }
        });
      },
    };
  }

  /* The widget manager draws a widget's saved outputs (e.g. the plot of an interact)
   * as images without alternative text. The build wraps each widget whose notebook
   * cell has "mystnb": {"image": {"alt": ...}} in <div data-alt="...">
   * (book/_ext/offline_assets.py); give that text to the images drawn inside it. */
  if (document.querySelector(".nnlib-widget[data-alt]")) {
    var label = function () {
      document.querySelectorAll(".nnlib-widget[data-alt] img:not([alt])").forEach(function (img) {
        img.alt = img.closest(".nnlib-widget[data-alt]").dataset.alt;
      });
    };
    new MutationObserver(label).observe(document.body, { childList: true, subtree: true });
  }

  /* Phones and tablets: the theme (pydata-sphinx-theme) opens its navigation drawer and
   * the in-page contents as dialogs from the toggles in its own navbar, which the book
   * theme hides; the toggles a reader sees (in the article header) only show a tooltip.
   * Below the theme's breakpoint, let the visible toggles press the theme's ones. */
  var narrow = window.matchMedia("(max-width: 991.98px)");
  ["primary", "secondary"].forEach(function (side) {
    var themeToggle = document.querySelector(".bd-header ." + side + "-toggle");
    document.querySelectorAll(".bd-header-article ." + side + "-toggle").forEach(function (visible) {
      if (!themeToggle || visible === themeToggle) return;
      visible.addEventListener("click", function (event) {
        if (!narrow.matches) return;            // wide screens: the book theme's own behaviour
        event.preventDefault();
        event.stopImmediatePropagation();
        themeToggle.click();
      }, true);
    });
  });
});
