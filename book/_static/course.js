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

  /* Accessible names (axe-core's label-content-name-mismatch and summary-name; WCAG 2.5.3):
   * a control that shows text must be named by that text, and a disclosure needs a name.
   * - The theme's search field shows "Search Ctrl+K" but is labelled "Search": let its text
   *   name it.
   * - myst-nb's "Show code cell source" toggles are labelled "Toggle hidden content": same.
   * - The navigation's expand arrows (<summary> with only an icon) have no name at all: name
   *   them after the page whose sections they show. */
  document.querySelectorAll(".search-button-field[aria-label], summary[aria-label='Toggle hidden content']")
    .forEach(function (el) { el.removeAttribute("aria-label"); });
  document.querySelectorAll("nav li > details > summary").forEach(function (summary) {
    if (summary.textContent.trim() || summary.hasAttribute("aria-label")) return;
    var link = summary.parentElement.previousElementSibling;
    var title = link ? link.textContent.trim() : "";
    summary.setAttribute("aria-label", title ? "Sections of " + title : "Sections");
  });

  /* Wide display equations scroll sideways inside their own box (see course.css). Mark the
   * sides where more of the equation is hidden, data-more="left right", so that a shadow on
   * that edge shows there is more; updated on scroll and resize. Runs once MathJax has
   * typeset the page (the equations' width is known only then). */
  var markScrollable = function (box) {
    var more = [];
    if (box.scrollLeft > 1) more.push("left");
    if (box.scrollLeft + box.clientWidth < box.scrollWidth - 1) more.push("right");
    if (more.length) box.setAttribute("data-more", more.join(" "));
    else box.removeAttribute("data-more");
  };
  var equations = function () {
    return document.querySelectorAll('.bd-content mjx-container[jax="CHTML"][display="true"]');
  };
  var markAll = function () { equations().forEach(markScrollable); };
  if (mj && mj.startup && mj.startup.promise) {
    mj.startup.promise.then(function () {
      equations().forEach(function (box) {
        box.addEventListener("scroll", function () { markScrollable(box); }, { passive: true });
      });
      markAll();
      window.addEventListener("resize", markAll);
    });
  }

  /* Figures open full size (phones cannot read a multi-panel figure at the column's width).
   * Each figure's image sits in a button (its name is the image's alt text), which opens a
   * modal <dialog> with the image at its full size, scrollable when larger than the screen.
   * Enter, Space or a click opens it; Esc, the Close button or a click outside the image
   * closes it, and the focus goes back to the figure. */
  var lightbox = null;
  var opener = null;
  var closeLightbox = function () { if (lightbox && lightbox.open) lightbox.close(); };
  var openLightbox = function (img, button) {
    if (!lightbox) {
      lightbox = document.createElement("dialog");
      lightbox.className = "course-lightbox";
      lightbox.setAttribute("aria-label", "Figure at full size");
      var close = document.createElement("button");
      close.type = "button";
      close.className = "course-lightbox-close";
      close.setAttribute("aria-label", "Close");
      close.textContent = "\u00d7";
      close.addEventListener("click", closeLightbox);
      var frame = document.createElement("div");
      frame.className = "course-lightbox-frame";
      lightbox.append(close, frame);
      lightbox.addEventListener("click", function (event) {
        if (event.target === lightbox || event.target === frame) closeLightbox();
      });
      lightbox.addEventListener("close", function () {
        if (opener) opener.focus();
        opener = null;
      });
      document.body.append(lightbox);
    }
    var big = document.createElement("img");
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    lightbox.querySelector(".course-lightbox-frame").replaceChildren(big);
    opener = button;
    lightbox.showModal();
    lightbox.querySelector(".course-lightbox-close").focus();
  };
  document.querySelectorAll(".bd-content figure img, .bd-content .cell_output img").forEach(function (img) {
    if (img.closest("a, button, .jupyter-widgets, .nnlib-widget, .animation")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "course-zoom";
    button.title = "Open the figure at full size";
    img.replaceWith(button);
    button.append(img);
    button.addEventListener("click", function () { openLightbox(img, button); });
  });

  /* Printing: open every collapsed <details> (hidden code, solutions) for the printout and
   * close again the ones that were closed. (sphinx-togglebutton opens its own toggles.) */
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll(".bd-content details"),
      function (d) { return !d.open; });
    closedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });
});

/* Predict-then-reveal questions (:class: predict, book/_ext/predict.py). Each is a form with a radio
 * group (or a number field), a Check button and an aria-live region. The feedback for every
 * option is in the page but hidden; Check copies the one for the reader's answer into the live
 * region, so it is read out, and marks the question right or wrong. */
document.addEventListener("DOMContentLoaded", function () {
  "use strict";

  var typeset = function (element) {
    var mj = window.MathJax;
    if (mj && mj.typesetPromise) {
      (mj.startup ? mj.startup.promise : Promise.resolve()).then(function () { return mj.typesetPromise([element]); });
    }
  };

  /* Python writes numbers as 0.73; accept "0,73" too, and nothing that is not a whole number. */
  var readNumber = function (text) {
    var t = text.trim().replace(/\u2212/g, "-");
    if (t.indexOf(".") < 0) t = t.replace(",", ".");
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
    return parseFloat(t);
  };

  document.querySelectorAll(".predict-box").forEach(function (box) {
    var form = box.querySelector(".predict-form");
    var feedback = box.querySelector(".predict-feedback");
    var reveal = box.querySelector(".predict-reveal");
    var answers = box.querySelector(".predict-answers");

    var show = function (state, verdict, detail, answerKey) {
      box.dataset.state = state;
      feedback.textContent = "";
      var head = document.createElement("p");
      head.className = "predict-verdict";
      var strong = document.createElement("strong");
      strong.textContent = verdict;
      head.appendChild(strong);
      if (detail) head.appendChild(document.createTextNode(" " + detail));
      feedback.appendChild(head);
      var source = answerKey && answers.querySelector('[data-option="' + answerKey + '"]');
      if (source) {
        var copy = document.createElement("div");
        copy.className = "predict-explanation";
        copy.innerHTML = source.innerHTML;
        feedback.appendChild(copy);
        if (!copy.querySelector("mjx-container") && copy.querySelector(".math")) typeset(copy);
      }
    };

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (box.dataset.kind === "number") {
        var input = box.querySelector(".predict-input");
        var value = readNumber(input.value);
        if (value === null) {
          input.setAttribute("aria-invalid", "true");
          show("invalid", "Type a number first,", "such as 0.5 or -2.");
          return;
        }
        input.removeAttribute("aria-invalid");
        var answer = parseFloat(box.dataset.answer);
        var tolerance = parseFloat(box.dataset.tolerance);
        var slack = tolerance + 1e-9 * Math.max(1, Math.abs(answer));
        if (Math.abs(value - answer) <= slack) {
          if (reveal) reveal.hidden = true;
          show("correct", "Right.", "The answer is " + box.dataset.answer +
               (tolerance > 0 ? " (anything within " + box.dataset.tolerance + " counts)." : "."), "explanation");
        } else {
          if (reveal) reveal.hidden = false;
          show("wrong", value < answer ? "Too low." : "Too high.",
               "The answer is " + (value < answer ? "larger" : "smaller") + " than " + input.value.trim() +
               ". Try again, or show the answer.");
        }
        return;
      }
      var chosen = form.querySelector('input[type="radio"]:checked');
      if (!chosen) {
        show("invalid", "Choose an answer first.", "");
        return;
      }
      var source = answers.querySelector('[data-option="' + chosen.value + '"]');
      var right = source && source.dataset.correct === "true";
      box.querySelectorAll(".predict-option").forEach(function (option) { option.classList.remove("predict-chosen"); });
      chosen.closest(".predict-option").classList.add("predict-chosen");
      show(right ? "correct" : "wrong", right ? "Correct." : "Not quite.",
           right ? "" : "Read why, then try another answer.", chosen.value);
    });

    if (reveal) {
      reveal.addEventListener("click", function () {
        reveal.hidden = true;
        show("revealed", "The answer is " + box.dataset.answer + ".", "", "explanation");
        feedback.focus();
      });
    }
  });
});
