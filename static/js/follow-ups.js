/* A follow-up question ("If it is about the police: who?") shows only while the answer it follows makes it apply.
   Without this script every question shows, its label saying when it applies; the page works either way. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-follow-ups]");
  if (!form) {
    return;
  }
  var followers = Array.prototype.slice.call(form.querySelectorAll("[data-follows]"));

  function update() {
    followers.forEach(function (input) {
      var chosen = form.querySelector('input[name="' + input.getAttribute("data-follows") + '"]:checked');
      var applies = Boolean(chosen) && input.getAttribute("data-when").split(" ").indexOf(chosen.value) !== -1;
      input.closest(".usa-fieldset, .usa-form-group").hidden = !applies;
    });
  }

  form.addEventListener("change", update);
  update();
})();
