/* "Remember my name on this device", for readers with JavaScript: fills the
   comment form's name and e-mail from a cookie that this script wrote, and
   writes it when the form is sent with the box ticked, or removes it when
   the box is unticked. The server neither reads nor sets the cookie, so
   pages stay the same for every reader. Without JavaScript the box is not
   offered, and nothing is kept. */
(function () {
  "use strict";
  var COOKIE = "communique_commenter";
  var YEAR = 365 * 24 * 60 * 60;
  function kept() {
    var found = document.cookie.match(/(?:^|;\s*)communique_commenter=([^;]*)/);
    if (!found) {
      return null;
    }
    try {
      return JSON.parse(decodeURIComponent(found[1]));
    } catch (error) {
      return null;
    }
  }
  function keep(value, seconds) {
    document.cookie = COOKIE + "=" + encodeURIComponent(value) +
      "; path=/; max-age=" + seconds + "; samesite=strict" +
      (location.protocol === "https:" ? "; secure" : "");
  }
  Array.prototype.forEach.call(
    document.querySelectorAll("#remember"),
    function (box) {
      var form = box.form;
      var name = form && form.elements.namedItem("author_name");
      if (!name || box.dataset.ready) {
        return;
      }
      box.dataset.ready = "1";
      var email = form.elements.namedItem("email");
      var remembered = kept();
      if (remembered) {
        box.checked = true;
        // What the reader typed (a form shown again) comes first.
        if (!name.value) {
          name.value = remembered.name || "";
        }
        if (email && !email.value) {
          email.value = remembered.email || "";
        }
      }
      box.closest("[hidden]").hidden = false;
      box.addEventListener("change", function () {
        if (!box.checked) {
          keep("", 0);
        }
      });
      form.addEventListener("submit", function () {
        if (box.checked && name.value) {
          keep(JSON.stringify({
            name: name.value,
            email: email ? email.value : ""
          }), YEAR);
        } else {
          keep("", 0);
        }
      });
    }
  );
})();
