/* Scan a QR code with the phone's rear camera and submit it (exam-day check-in, 签到).

   Markup (no inline script: the Content-Security-Policy forbids it), after
   <script src="{% static 'vendor/jsqr/jsQR.js' %}"></script>:

     <form method="post" data-qr-scanner>
       <video data-qr-video hidden></video>
       <input name="code" data-qr-target>            typing the number always works too
       <button type="button" data-qr-start>扫码</button>
       <div data-qr-message role="status"></div>      optional; made after the button if absent
     </form>

   The button starts the camera (facingMode "environment"), frames are decoded with jsQR,
   the first code read goes into the input and the form is submitted; the camera is then
   stopped (also on a second tap, when the page is hidden or left). Where there is no camera,
   or the page is not on HTTPS (browsers refuse the camera then), a message says so.
   Messages may be given translated on the button: data-msg-insecure, data-msg-unsupported,
   data-msg-denied, data-msg-scanning, data-msg-stop, data-msg-failed. */
(function () {
  "use strict";

  var DEFAULTS = {
    insecure: "无法使用摄像头：扫码需要通过 HTTPS 访问本页面。请直接输入准考证号。",
    unsupported: "此浏览器无法使用摄像头扫码，请直接输入准考证号。",
    denied: "未获得摄像头权限，或找不到摄像头。请在浏览器设置中允许使用摄像头，或直接输入准考证号。",
    failed: "摄像头启动失败，请直接输入准考证号。",
    scanning: "请将准考证上的二维码对准摄像头……",
    stop: "停止扫码"
  };
  var SCAN_INTERVAL_MS = 120;
  var MAX_WIDTH = 640;

  function message(button, key) {
    return button.getAttribute("data-msg-" + key) || DEFAULTS[key];
  }

  function Scanner(button) {
    this.button = button;
    this.scope = button.closest("[data-qr-scanner]") || button.closest("form") || document;
    this.video = this.scope.querySelector("[data-qr-video]") || document.querySelector("[data-qr-video]");
    this.input = this.scope.querySelector("[data-qr-target]") || document.querySelector("[data-qr-target]");
    this.form = this.input ? this.input.form : null;
    this.status = this.scope.querySelector("[data-qr-message]");
    if (!this.status) {
      this.status = document.createElement("div");
      this.status.setAttribute("role", "status");
      this.status.className = "form-text";
      button.insertAdjacentElement("afterend", this.status);
    }
    this.label = button.textContent;
    this.stream = null;
    this.timer = null;
    this.canvas = document.createElement("canvas");
    this.context = this.canvas.getContext("2d", { willReadFrequently: true });
  }

  Scanner.prototype.say = function (text, isError) {
    this.status.textContent = text;
    this.status.classList.toggle("text-danger", !!isError);
  };

  Scanner.prototype.start = function () {
    var self = this;
    if (!window.isSecureContext) {
      this.say(message(this.button, "insecure"), true);
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || typeof window.jsQR !== "function") {
      this.say(message(this.button, "unsupported"), true);
      return;
    }
    if (!this.video || !this.input || !this.form) {
      return;
    }
    this.button.disabled = true;
    var attempt = (this.attempt = (this.attempt || 0) + 1);
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (stream) {
        if (attempt !== self.attempt) {
          // stopped (page hidden or left) while the browser was still asking: release it
          stream.getTracks().forEach(function (track) { track.stop(); });
          return;
        }
        self.stream = stream;
        self.video.setAttribute("playsinline", "");
        self.video.muted = true;
        self.video.srcObject = stream;
        self.video.hidden = false;
        self.button.textContent = message(self.button, "stop");
        self.button.disabled = false;
        self.say(message(self.button, "scanning"), false);
        return self.video.play();
      })
      .then(function () {
        if (self.stream) {
          self.timer = window.setTimeout(function () { self.tick(); }, SCAN_INTERVAL_MS);
        }
      })
      .catch(function (error) {
        self.stop();
        var denied = error && (error.name === "NotAllowedError" || error.name === "NotFoundError" || error.name === "OverconstrainedError");
        self.say(message(self.button, denied ? "denied" : "failed"), true);
      });
  };

  Scanner.prototype.tick = function () {
    var self = this;
    this.timer = null;
    if (!this.stream) {
      return;
    }
    var video = this.video;
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      var width = Math.round(video.videoWidth * scale);
      var height = Math.round(video.videoHeight * scale);
      this.canvas.width = width;
      this.canvas.height = height;
      this.context.drawImage(video, 0, 0, width, height);
      var image = this.context.getImageData(0, 0, width, height);
      var code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
      if (code && code.data) {
        this.found(code.data);
        return;
      }
    }
    this.timer = window.setTimeout(function () { self.tick(); }, SCAN_INTERVAL_MS);
  };

  Scanner.prototype.found = function (text) {
    this.stop();
    this.input.value = text.trim();
    this.say("", false);
    if (typeof this.form.requestSubmit === "function") {
      this.form.requestSubmit();
    } else {
      this.form.submit();
    }
  };

  Scanner.prototype.stop = function () {
    this.attempt = (this.attempt || 0) + 1;
    if (this.timer) {
      window.clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.stream) {
      this.stream.getTracks().forEach(function (track) { track.stop(); });
      this.stream = null;
    }
    if (this.video) {
      this.video.srcObject = null;
      this.video.hidden = true;
    }
    this.button.textContent = this.label;
    this.button.disabled = false;
  };

  var scanners = [];

  function scannerFor(button) {
    for (var i = 0; i < scanners.length; i++) {
      if (scanners[i].button === button) {
        return scanners[i];
      }
    }
    var scanner = new Scanner(button);
    scanners.push(scanner);
    return scanner;
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-qr-start]") : null;
    if (!button) {
      return;
    }
    event.preventDefault();
    var scanner = scannerFor(button);
    if (scanner.stream) {
      scanner.stop();
      scanner.say("", false);
    } else {
      scanner.start();
    }
  });

  function stopAll() {
    scanners.forEach(function (scanner) {
      scanner.stop(); // also one still waiting for the camera
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      stopAll();
    }
  });
  window.addEventListener("pagehide", stopAll);
})();
