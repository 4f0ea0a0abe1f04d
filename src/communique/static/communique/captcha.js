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

/* The proof of work (ALTCHA), for readers with JavaScript: when the reader
   starts using the form (or at once on a form shown again to one reader), load
   the widget from our own static files, let it fetch a challenge and solve it
   in workers, and put the payload into a hidden field. Once it is solved the
   code need not be typed; if it fails, the image and the clip still work, as
   they do without JavaScript. The page itself carries nothing of this. */
(function () {
  "use strict";
  var ALGORITHM = "PBKDF2/SHA-256";
  var loading = null;
  function capable() {
    return "Worker" in window && "customElements" in window &&
      window.crypto && window.crypto.subtle && window.Promise;
  }
  function load(slot) {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var style = document.createElement("link");
        style.rel = "stylesheet";
        style.href = slot.dataset.altchaStyle;
        document.head.appendChild(style);
        var script = document.createElement("script");
        script.type = "module";
        script.src = slot.dataset.altchaScript;
        script.addEventListener("load", resolve);
        script.addEventListener("error", reject);
        document.head.appendChild(script);
      });
    }
    return loading;
  }
  Array.prototype.forEach.call(
    document.querySelectorAll("[data-captcha-proof]"),
    function (slot) {
      if (slot.dataset.captchaReady || !capable()) {
        return;
      }
      slot.dataset.captchaReady = "1";
      var form = slot.closest("form");
      var answer = document.getElementById(slot.dataset.captchaAnswer);
      var status = document.createElement("p");
      status.setAttribute("role", "status");
      function say(text) {
        status.textContent = text;
        slot.hidden = false;
      }
      function failed() {
        say(slot.dataset.failed);
        if (answer) {
          answer.required = true;
        }
      }
      function solve() {
        var registry = window.$altcha;
        if (!registry || !registry.algorithms) {
          failed();
          return;
        }
        var worker = slot.dataset.altchaWorker;
        registry.algorithms.set(ALGORITHM, function () {
          return new Worker(worker);
        });
        var widget = document.createElement("altcha-widget");
        widget.setAttribute("challenge", slot.dataset.captchaProof);
        widget.setAttribute("name", slot.dataset.captchaProofName);
        widget.setAttribute("auto", "onload");
        widget.setAttribute("display", "invisible");
        widget.setAttribute("configuration", JSON.stringify({
          hideFooter: true,
          hideLogo: true,
          humanInteractionSignature: false
        }));
        widget.addEventListener("statechange", function (event) {
          var state = event.detail && event.detail.state;
          if (state === "verified") {
            say(slot.dataset.done);
            if (answer) {
              answer.required = false;
            }
          } else if (state === "error" || state === "expired") {
            failed();
          }
        });
        say(slot.dataset.working);
        slot.appendChild(widget);
      }
      function start() {
        if (form) {
          form.removeEventListener("focusin", start);
          form.removeEventListener("input", start);
        }
        slot.appendChild(status);
        load(slot).then(solve, failed);
      }
      if (slot.dataset.captchaNow || !form) {
        start();
      } else {
        form.addEventListener("focusin", start);
        form.addEventListener("input", start);
      }
    }
  );
})();
