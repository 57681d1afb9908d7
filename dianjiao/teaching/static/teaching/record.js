/* The record form of 播放收看: roll call (全部到场, running tally, search, nobody left unmarked,
   confirmation with the tally) and the key-film steps on a phone. The server checks everything
   again; without this file the form still works (the roll buttons are then answered by the server). */
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("record-form");
    if (!form) return;
    var rows = Array.prototype.slice.call(form.querySelectorAll(".checklist .att-row"));
    var dialog = document.getElementById("roll-confirm");
    var unmarkedMsg = document.getElementById("roll-unmarked");
    var confirmed = false;

    function statusOf(row) {
      var checked = row.querySelector("input[type=radio]:checked");
      return checked ? checked.value : "";
    }

    function nameOf(row) {
      return row.getAttribute("data-name");
    }

    function tally() {
      var t = { expected: rows.length, present: 0, excused: 0, absent: 0, unmarked: 0 };
      var names = { excused: [], absent: [], unmarked: [] };
      rows.forEach(function (row) {
        var s = statusOf(row);
        if (s === "present") t.present += 1;
        else if (s === "excused") { t.excused += 1; names.excused.push(nameOf(row)); }
        else if (s === "absent") { t.absent += 1; names.absent.push(nameOf(row)); }
        else { t.unmarked += 1; names.unmarked.push(nameOf(row)); }
      });
      return { counts: t, names: names };
    }

    function sep() {
      return (unmarkedMsg && unmarkedMsg.getAttribute("data-sep")) || "、";
    }

    function render() {
      var t = tally();
      Object.keys(t.counts).forEach(function (k) {
        form.querySelectorAll("[data-tally=" + k + "]").forEach(function (el) {
          el.textContent = String(t.counts[k]);
        });
      });
      ["excused", "absent"].forEach(function (k) {
        form.querySelectorAll("[data-names=" + k + "]").forEach(function (el) {
          el.textContent = t.names[k].length ? t.names[k].join(sep()) : "";
        });
      });
      var u = form.querySelector(".t-unmarked");
      if (u) u.classList.toggle("done", t.counts.unmarked === 0);
      rows.forEach(function (row) {
        if (statusOf(row)) row.classList.remove("has-error");
      });
      if (unmarkedMsg && !unmarkedMsg.hidden && t.counts.unmarked === 0) unmarkedMsg.hidden = true;
      return t;
    }

    function showUnmarked(t) {
      if (!unmarkedMsg) return;
      unmarkedMsg.textContent = unmarkedMsg
        .getAttribute("data-template")
        .replace("{n}", String(t.counts.unmarked))
        .replace("{names}", t.names.unmarked.join(sep()));
      unmarkedMsg.hidden = false;
      rows.forEach(function (row) {
        if (!statusOf(row)) row.classList.add("has-error");
      });
      showStepOf(unmarkedMsg);
      unmarkedMsg.scrollIntoView({ block: "center" });
    }

    // 全部到场 / 其余记为缺席: everyone not yet marked; the exceptions already marked stay.
    form.querySelectorAll("[data-roll]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var status = button.getAttribute("data-roll");
        rows.forEach(function (row) {
          if (statusOf(row)) return;
          var radio = row.querySelector("input[type=radio][value=" + status + "]");
          if (radio) radio.checked = true;
        });
        render();
        form.dispatchEvent(new Event("change", { bubbles: true })); // the draft keeps it
      });
    });
    form.addEventListener("change", function (event) {
      if (event.target && event.target.type === "radio") render();
    });

    // Search by name, full pinyin or initials: "zs", "zhang", "张" find 张三.
    var search = document.getElementById("roll-search");
    var nomatch = document.getElementById("roll-nomatch");
    if (search) {
      search.hidden = false;
      search.removeAttribute("name");
      search.addEventListener("input", function () {
        var q = search.value.trim().toLowerCase().replace(/\s+/g, "");
        var shown = 0;
        rows.forEach(function (row) {
          var hit = !q ||
            nameOf(row).indexOf(q) !== -1 ||
            (row.getAttribute("data-pinyin") || "").indexOf(q) === 0 ||
            (row.getAttribute("data-initials") || "").indexOf(q) === 0;
          row.hidden = !hit;
          if (hit) shown += 1;
        });
        if (nomatch) nomatch.hidden = shown > 0;
      });
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") event.preventDefault(); // Enter in the search box is no save
      });
    }

    // Saving: nobody unmarked, then the tally to confirm.
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.hasAttribute("data-roll")) return;
      if (confirmed || !rows.length) return;
      var t = render();
      event.preventDefault();
      if (t.counts.unmarked) {
        showUnmarked(t);
        return;
      }
      if (dialog && typeof dialog.showModal === "function") {
        dialog.showModal();
      } else {
        confirmed = true;
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    });
    if (dialog) {
      dialog.querySelector("[data-confirm-save]").addEventListener("click", function () {
        confirmed = true;
        dialog.close();
        var save = form.querySelector("[data-save]");
        if (form.requestSubmit) form.requestSubmit(save);
        else form.submit();
      });
      dialog.querySelector("[data-confirm-back]").addEventListener("click", function () {
        dialog.close();
      });
    }

    // The key-film steps: one at a time on a phone, all of them on a wider screen.
    var steps = Array.prototype.slice.call(form.querySelectorAll(".step[data-step]"));
    var stepnav = form.querySelector(".stepnav");
    var narrow = window.matchMedia("(max-width: 800px)");
    var current = 0;

    function paint() {
      var phone = narrow.matches && steps.length > 0;
      form.classList.toggle("one-step", phone);
      if (stepnav) stepnav.hidden = !phone;
      steps.forEach(function (step, i) {
        step.classList.toggle("current", i === current);
      });
      form.querySelectorAll("[data-step-link]").forEach(function (a, i) {
        if (phone && i === current) a.setAttribute("aria-current", "step");
        else a.removeAttribute("aria-current");
      });
      if (stepnav) {
        stepnav.querySelector("[data-step-go='-1']").disabled = current === 0;
        stepnav.querySelector("[data-step-go='1']").hidden = current === steps.length - 1;
      }
      var save = form.querySelector(".actions.save");
      if (save) save.hidden = phone && current !== steps.length - 1;
    }

    function go(i, scroll) {
      current = Math.max(0, Math.min(steps.length - 1, i));
      paint();
      if (scroll && narrow.matches) form.scrollIntoView({ block: "start" });
    }

    function showStepOf(el) {
      for (var i = 0; i < steps.length; i += 1) {
        if (steps[i].contains(el)) { go(i, false); return; }
      }
    }

    if (steps.length) {
      form.querySelectorAll("[data-step-link]").forEach(function (a, i) {
        a.addEventListener("click", function (event) {
          if (!narrow.matches) return; // a PC shows every step: the link just scrolls
          event.preventDefault();
          go(i, true);
        });
      });
      if (stepnav) {
        stepnav.querySelectorAll("[data-step-go]").forEach(function (b) {
          b.addEventListener("click", function () {
            go(current + Number(b.getAttribute("data-step-go")), true);
          });
        });
      }
      var firstError = form.querySelector(".step .has-error, .step .error:not([hidden])");
      var wanted = location.hash && form.querySelector(location.hash + ".step");
      if (firstError) showStepOf(firstError);
      else if (wanted) showStepOf(wanted);
      if (narrow.addEventListener) narrow.addEventListener("change", paint);
      paint();
    }
    render();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
