/* The screening form: show a follow-up question only when the answer that asks it is given,
   and keep the progress list beside the form current. Progressive enhancement: without this
   script every question shows, and the server ignores answers to questions not asked
   (screening.engine.parsing.asked_answers), so hiding here is only for the eye. */
(function () {
  "use strict";
  var form = document.querySelector("[data-screening-form]");
  if (!form) { return; }
  var progress = document.querySelector(".screening-progress");

  function answerOf(name) {
    var inputs = form.querySelectorAll("[name='" + name + "']");
    var value = "";
    inputs.forEach(function (input) {
      if (input.type === "radio") {
        if (input.checked) { value = input.value; }
      } else if (input.type === "checkbox") {
        if (input.checked) { value = "yes"; }
      } else {
        value = input.value;
      }
    });
    return value;
  }

  function isAsked(question) {
    var when = question.getAttribute("data-asked-when");
    if (when) {
      var rule = JSON.parse(when);
      var hit = rule.answers.indexOf(answerOf(rule.question)) !== -1;
      if (hit === rule.unless) { return false; }
    }
    var statement = question.getAttribute("data-implied-no-by");
    return !(statement && answerOf(statement) === "yes");
  }

  function isAnswered(question) {
    var answered = false;
    question.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked && input.value !== "") { answered = true; }
      } else if (input.value.trim() !== "") {
        answered = true;
      }
    });
    return answered;
  }

  function label(kind, count) {
    var text = progress.getAttribute("data-label-" + kind) || "";
    return text.replace("__N__", String(count));
  }

  function update() {
    form.querySelectorAll("[data-section]").forEach(function (section) {
      var total = 0;
      var answered = 0;
      var shown = 0;
      section.querySelectorAll("[data-question]").forEach(function (question) {
        var asked = isAsked(question);
        question.hidden = !asked;
        if (!asked) { return; }
        shown += 1;
        if (question.hasAttribute("data-required")) {
          total += 1;
          if (isAnswered(question)) { answered += 1; }
        } else if (question.hasAttribute("data-statement") && isAnswered(question)) {
          total += 1;  /* "No known allergies", ticked, answers the section */
          answered += 1;
        }
      });
      section.hidden = shown === 0;
      if (!progress) { return; }
      var item = progress.querySelector("[data-progress-for='" + section.id + "']");
      if (!item) { return; }
      item.classList.toggle("d-none", shown === 0);  /* d-flex would outrank [hidden] */
      var badge = item.querySelector("[data-progress-badge]");
      var done = total > 0 && answered === total;
      badge.className = "badge " + (done ? "text-bg-success" : total === 0 ? "text-bg-light border" : "text-bg-warning");
      badge.textContent = total === 0 ? label("optional") : done ? label("complete") : label("to-answer", total - answered);
    });
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
