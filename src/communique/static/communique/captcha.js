/* Loads the CAPTCHA image only when the reader reaches the comment form or
   starts using it: a reader who only reads is issued no challenge and gets
   no cookie. Without JavaScript the <noscript> image loads lazily instead. */
(function () {
  "use strict";
  var slots = document.querySelectorAll("[data-captcha-image]");
  Array.prototype.forEach.call(slots, function (slot) {
    if (slot.dataset.captchaReady) {
      return;
    }
    slot.dataset.captchaReady = "1";
    var observer = null;
    var form = slot.closest("form");
    function show() {
      if (slot.querySelector("img")) {
        return;
      }
      var image = new Image(180, 60);
      image.alt = slot.dataset.captchaAlt || "";
      image.src = slot.dataset.captchaImage;
      slot.replaceChildren(image);
      if (observer) {
        observer.disconnect();
      }
      if (form) {
        form.removeEventListener("focusin", show);
      }
    }
    if ("IntersectionObserver" in window) {
      observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          show();
        }
      });
      observer.observe(slot);
    }
    if (form) {
      form.addEventListener("focusin", show);
    }
  });
})();
