/* anywidget-lite: draws the course's saved anywidgets on the website, without a kernel and
 * without the Jupyter widget manager.
 *
 * Every widget of the course is an anywidget (nnlib.widgets): its front end is an ES module
 * kept in the saved widget state (`_esm`), and it only needs a model with get / set / on /
 * off / save_changes / send. The full widget manager (require.js, embed-amd.js and anywidget's
 * AMD front end, 3.8 MB) would run that module too; this file does it in a few kilobytes. The
 * build (book/_ext/offline_assets.py) uses it only on pages whose saved state holds nothing but
 * anywidget models and their layouts; any other widget gets the full manager.
 *
 * The page has no kernel: `send` throws, which front ends take as "nobody can answer" (the
 * playground then trains in the page at once).
 */
(function () {
  "use strict";

  var STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  var VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';

  function Model(id, state) {
    this.model_id = id;
    this.state = state;
    this.handlers = {};
  }
  Model.prototype.get = function (key) { return this.state[key]; };
  Model.prototype.set = function (key, value) {
    if (this.state[key] === value) return;
    this.state[key] = value;
    this.emit("change:" + key, value);
    this.emit("change");
  };
  Model.prototype.on = function (event, callback) {
    (this.handlers[event] = this.handlers[event] || []).push(callback);
  };
  Model.prototype.off = function (event, callback) {
    if (!event) { this.handlers = {}; return; }
    if (!callback) { delete this.handlers[event]; return; }
    this.handlers[event] = (this.handlers[event] || []).filter(function (f) { return f !== callback; });
  };
  Model.prototype.emit = function (event, value) {
    var self = this;
    (this.handlers[event] || []).slice().forEach(function (f) { f.call(self, value); });
  };
  Model.prototype.save_changes = function () {};
  Model.prototype.send = function () {
    throw new Error("this page has no Python kernel: nothing can answer a widget's message");
  };

  /* Binary traits are saved beside the state, base64-encoded ("buffers": [{path, data}]);
   * the widget manager hands them to the front end as DataViews, and so does this. */
  function withBuffers(saved) {
    var state = Object.assign({}, saved.state);
    (saved.buffers || []).forEach(function (buffer) {
      var text = atob(buffer.data);
      var bytes = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      var target = state;
      for (var k = 0; k < buffer.path.length - 1; k++) target = target[buffer.path[k]];
      target[buffer.path[buffer.path.length - 1]] = new DataView(bytes.buffer);
    });
    return state;
  }

  var modules = {};   // one import per distinct front end
  function load(esm) {
    if (!modules[esm]) {
      var url = URL.createObjectURL(new Blob([esm], { type: "text/javascript" }));
      modules[esm] = import(url).then(function (mod) {
        var widget = mod.default;
        return typeof widget === "function" ? widget() : widget;
      });
    }
    return modules[esm];
  }

  function showError(el, error) {
    var box = document.createElement("div");
    box.className = "nnlib-error";
    box.setAttribute("role", "alert");
    box.textContent = "This widget could not be drawn: " + (error && error.message ? error.message : error);
    el.replaceChildren(box);
    console.error(error);
  }

  function renderAll() {
    var tag = document.querySelector(STATE);
    if (!tag) return;
    var state = JSON.parse(tag.textContent).state;
    var models = {};
    document.querySelectorAll(VIEW).forEach(function (script) {
      var id = JSON.parse(script.textContent).model_id;
      var saved = state[id];
      // the same place the widget manager draws in: a .widget-subarea before the view's tag
      var area = document.createElement("div");
      area.className = "widget-subarea";
      var el = document.createElement("div");
      el.className = "anywidget-view";
      area.append(el);
      script.parentNode.insertBefore(area, script);
      if (!saved || saved.model_name !== "AnyModel") {
        showError(el, new Error("no saved anywidget model " + id));
        return;
      }
      var model = models[id] || (models[id] = new Model(id, withBuffers(saved)));
      load(saved.state._esm)
        .then(function (widget) {
          if (saved.state._css && !document.querySelector('style[data-anywidget="' + id + '"]')) {
            var style = document.createElement("style");
            style.dataset.anywidget = id;
            style.textContent = saved.state._css;
            document.head.append(style);
          }
          var ready = widget.initialize && !model.initialized ? widget.initialize({ model: model }) : null;
          model.initialized = true;
          return Promise.resolve(ready).then(function () { return widget.render({ model: model, el: el }); });
        })
        .catch(function (error) { showError(el, error); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", renderAll);
  else renderAll();
})();
