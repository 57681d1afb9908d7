/* What every page shares: the menu button of a phone, and drafts kept in the browser.
   A static file because the content security policy allows no inline script. */
(function () {
  "use strict";

  // The menu: on a phone the navigation is folded under one button (site.css hides it).
  function menu() {
    var button = document.querySelector(".menubtn");
    var header = document.querySelector(".topbar");
    if (!button || !header) return;
    button.addEventListener("click", function () {
      var open = !header.classList.contains("open");
      header.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("open")) {
        header.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  /* Drafts: a <form data-draft-key="user:form"> keeps what is typed in localStorage until the
     server has it, so a dropped connection loses nothing. Restored when the form is opened again
     (not on a page the server sent back with the posted values); removed once a page says the
     record is stored (an element with data-draft-saved="<client_id>"). */
  var PREFIX = "dianjiao-draft:";
  // The logbook is written on the day: a draft older than this is of no use and is dropped.
  var MAX_AGE_MS = 3 * 24 * 3600 * 1000;

  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null; // private mode or disabled storage: no drafts, the form still works
    }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && !el.disabled &&
        ["submit", "button", "reset", "file", "password", "search"].indexOf(el.type) === -1 &&
        el.tagName !== "BUTTON";
    });
  }

  function read(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox") {
        values[el.name] = values[el.name] || [];
        if (el.checked) values[el.name].push(el.value);
      } else if (el.type === "radio") {
        if (!(el.name in values)) values[el.name] = "";
        if (el.checked) values[el.name] = el.value;
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function write(form, values) {
    fields(form).forEach(function (el) {
      if (!(el.name in values)) return;
      var v = values[el.name];
      if (el.type === "checkbox") el.checked = v.indexOf(el.value) !== -1;
      else if (el.type === "radio") el.checked = el.value === v;
      else el.value = v;
    });
    // Folded film lists open when a film inside is ticked.
    form.querySelectorAll("details").forEach(function (d) {
      if (d.querySelector("input:checked")) d.open = true;
    });
  }

  function drafts() {
    var store = storage();
    if (!store) return;
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var key = store.key(i);
      if (!key || key.indexOf(PREFIX) !== 0) continue;
      try {
        var draft = JSON.parse(store.getItem(key));
        if (!draft || !(Date.now() - draft.at < MAX_AGE_MS)) store.removeItem(key);
      } catch (e) {
        store.removeItem(key);
      }
    }
    document.querySelectorAll("[data-draft-saved]").forEach(function (el) {
      var saved = el.getAttribute("data-draft-saved");
      for (var i = store.length - 1; i >= 0; i -= 1) {
        var key = store.key(i);
        if (!key || key.indexOf(PREFIX) !== 0) continue;
        try {
          var draft = JSON.parse(store.getItem(key));
          if (draft && draft.values && draft.values.client_id === saved) store.removeItem(key);
        } catch (e) {
          store.removeItem(key);
        }
      }
    });
    document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
      var key = PREFIX + form.getAttribute("data-draft-key");
      var note = form.querySelector("[data-draft-note]");
      var stored = null;
      try {
        stored = JSON.parse(store.getItem(key));
      } catch (e) {
        stored = null;
      }
      if (stored && stored.values && !form.hasAttribute("data-draft-bound")) {
        write(form, stored.values);
        if (note) note.hidden = false;
      }
      var timer = null;
      function save() {
        timer = null;
        try {
          store.setItem(key, JSON.stringify({ at: Date.now(), values: read(form) }));
        } catch (e) {
          /* storage full: nothing more to do */
        }
      }
      function later() {
        if (timer === null) timer = window.setTimeout(save, 300);
      }
      form.addEventListener("input", later);
      form.addEventListener("change", later);
      // Sending is not saving: the draft stays until the server's page confirms the record.
      form.addEventListener("submit", function () {
        if (timer !== null) window.clearTimeout(timer);
        save();
      });
      var discard = form.querySelector("[data-draft-discard]");
      if (discard) {
        discard.addEventListener("click", function () {
          store.removeItem(key);
          window.location.reload();
        });
      }
    });
  }

  function init() {
    menu();
    drafts();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
