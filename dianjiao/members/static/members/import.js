/* The roster import's progress (issue 14 part 4): a file of 10,000 rows takes seconds to send
   on a phone's connection and seconds to check, and the page must not look dead meanwhile.

   Honest and simple, no background worker: while the file is sent, the bytes sent so far (the
   browser's own upload progress); then, while the server reads and checks it, a bar without a
   value and the seconds elapsed. A form with data-busy (the confirmation) shows its message and
   the seconds elapsed until the next page arrives, and is not sent twice. Without JavaScript
   both forms work as plain forms. The texts come from the page (data-text-*), in its language. */
(function () {
  "use strict";

  function say(template, value) {
    return template.replace("{n}", value);
  }

  function progressBox() {
    var box = document.getElementById("import-progress");
    if (!box) return null;
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    var elapsed = box.querySelector("[data-progress-elapsed]");
    var timer = null;
    return {
      show: function (message) {
        box.hidden = false;
        text.textContent = message;
      },
      bytes: function (message, loaded, total) {
        bar.max = total;
        bar.value = loaded;
        text.textContent = say(message, Math.floor((100 * loaded) / total) + "%");
      },
      waiting: function (message) {
        bar.removeAttribute("value"); // a bar without a value: busy, how long unknown
        text.textContent = message;
        if (timer !== null) return;
        var started = Date.now();
        var template = box.getAttribute("data-text-elapsed");
        timer = window.setInterval(function () {
          elapsed.textContent = say(template, Math.round((Date.now() - started) / 1000));
        }, 1000);
      },
      stop: function () {
        if (timer !== null) window.clearInterval(timer);
        timer = null;
        box.hidden = true;
        elapsed.textContent = "";
      },
      text: function (name) {
        return box.getAttribute("data-text-" + name) || "";
      },
    };
  }

  function showErrors(form, messages) {
    var input = form.querySelector("input[type=file]");
    var field = input && input.closest(".field");
    if (!field) return;
    field.classList.add("has-error");
    field.querySelectorAll("p.error").forEach(function (p) {
      p.remove();
    });
    messages.forEach(function (message) {
      var p = document.createElement("p");
      p.className = "error";
      p.setAttribute("role", "alert");
      p.textContent = message;
      field.appendChild(p);
    });
  }

  function upload(form, box) {
    var sending = false;
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      if (!input || !input.files || !input.files.length || !window.FormData) return;
      event.preventDefault();
      if (sending) return;
      sending = true;
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      var xhr = new XMLHttpRequest();
      var plain = function () {
        // Anything unexpected (a login page, a server error): the form as a plain form.
        box.stop();
        HTMLFormElement.prototype.submit.call(form);
      };
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      xhr.setRequestHeader("X-Upload-Progress", "1");
      box.show(say(box.text("uploading"), "0%"));
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) box.bytes(box.text("uploading"), e.loaded, e.total);
      });
      xhr.upload.addEventListener("load", function () {
        box.waiting(box.text("reading"));
      });
      xhr.addEventListener("load", function () {
        var answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch (e) {
          answer = null;
        }
        if (xhr.status === 200 && answer && answer.redirect) {
          box.waiting(box.text("opening")); // the preview checks every row before it shows
          window.location.assign(answer.redirect);
        } else if (xhr.status === 200 && answer && answer.errors) {
          box.stop();
          sending = false;
          if (button) button.disabled = false;
          showErrors(form, answer.errors);
        } else {
          plain();
        }
      });
      xhr.addEventListener("error", function () {
        box.stop();
        sending = false;
        if (button) button.disabled = false;
        showErrors(form, [box.text("failed")]);
      });
      xhr.send(new FormData(form));
    });
  }

  function busy(form, box) {
    var sent = false;
    form.addEventListener("submit", function (event) {
      if (sent) {
        event.preventDefault(); // one confirmation, however often the button is pressed
        return;
      }
      sent = true;
      box.show("");
      box.waiting(form.getAttribute("data-busy"));
    });
  }

  function init() {
    var box = progressBox();
    if (!box) return;
    document.querySelectorAll("form[data-upload-progress]").forEach(function (form) {
      upload(form, box);
    });
    document.querySelectorAll("form[data-busy]").forEach(function (form) {
      busy(form, box);
    });
    // Back from the next page (the browser's cache): nothing is under way any more.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) box.stop();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
