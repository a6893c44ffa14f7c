// Sends a film with tus: resumable after a dropped connection or a page reload.
(function () {
  "use strict";
  var box = document.querySelector("[data-uploader]");
  if (!box || !window.tus || !tus.isSupported) { return; }
  var input = box.querySelector("[data-file-input]");
  var progressBox = box.querySelector("[data-progress-box]");
  var bar = box.querySelector("[data-progress-bar]");
  var percent = box.querySelector("[data-percent]");
  var speedBox = box.querySelector("[data-speed]");
  var nameBox = box.querySelector("[data-upload-name]");
  var statusBox = box.querySelector("[data-upload-status]");
  var pauseButton = box.querySelector("[data-pause]");
  var resumeButton = box.querySelector("[data-resume]");
  var resumeNote = box.querySelector("[data-resume-note]");
  var endpoint = new URL(box.getAttribute("data-endpoint"), window.location.href).href;
  var upload = null;
  var samples = [];
  var failedOffline = false;

  function msg(name) { return box.getAttribute("data-msg-" + name) || ""; }
  function say(text, kind) {
    statusBox.textContent = text || "";
    statusBox.className = "upload-status" + (kind ? " is-" + kind : "");
  }
  function human(bytes) {
    var units = ["o", "Ko", "Mo", "Go"];
    var i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i += 1; }
    return bytes.toFixed(i ? 1 : 0).replace(".", ",") + " " + units[i];
  }
  function duration(seconds) {
    if (!isFinite(seconds)) { return "…"; }
    seconds = Math.max(0, Math.round(seconds));
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return (m ? m + " min " : "") + s + " s";
  }

  // An upload this browser left unfinished: tus keeps its address in localStorage.
  tus.defaultOptions.urlStorage.findAllUploads().then(function (stored) {
    var mine = stored.filter(function (u) { return u.uploadUrl && u.metadata && u.metadata.film === box.getAttribute("data-film"); });
    if (mine.length) {
      resumeNote.textContent = msg("resume").replace("{name}", mine[0].metadata.filename || "");
      resumeNote.hidden = false;
    }
  }).catch(function () { /* storage unavailable: a new upload simply starts */ });

  function onProgress(sent, total) {
    var now = Date.now();
    samples.push([now, sent]);
    samples = samples.filter(function (s) { return now - s[0] < 8000; });
    var rate = 0;
    if (samples.length > 1) {
      var first = samples[0];
      rate = (sent - first[1]) / Math.max(1, (now - first[0]) / 1000);
    }
    var value = total ? (sent / total) * 100 : 0;
    bar.value = value;
    percent.textContent = value.toFixed(1).replace(".", ",") + " %";
    speedBox.textContent = rate > 0 ? msg("left").replace("{speed}", human(rate)).replace("{time}", duration((total - sent) / rate)) : "";
  }

  // The sentence the server gave with a refusal, in the person's language.
  function serverReason(err) {
    try { return JSON.parse(err.originalResponse.getBody()).error.message || ""; } catch (e) { return ""; }
  }

  function start(file) {
    var max = parseInt(box.getAttribute("data-max-bytes"), 10);
    if (max && file.size > max) { say(msg("too-big"), "error"); return; }
    nameBox.textContent = file.name + " · " + human(file.size);
    progressBox.hidden = false;
    resumeNote.hidden = true;
    samples = [];
    say("");
    upload = new tus.Upload(file, {
      endpoint: endpoint,
      chunkSize: parseInt(box.getAttribute("data-chunk-bytes"), 10) || 8 * 1024 * 1024,
      retryDelays: [0, 1000, 2000, 5000, 10000, 20000, 30000, 60000, 60000, 60000],
      metadata: { filename: file.name, filetype: file.type || "", film: box.getAttribute("data-film") },
      removeFingerprintOnSuccess: true,
      onProgress: onProgress,
      onShouldRetry: function (err) {
        var status = err.originalResponse ? err.originalResponse.getStatus() : 0;
        var reason = serverReason(err);
        if (!navigator.onLine) { say(msg("offline"), "warning"); }
        else if (status === 507 && reason) { say(reason, "warning"); }  // disk full: say so, keep trying
        else { say(msg("retrying"), "warning"); }
        return status === 0 || status === 409 || status === 423 || status >= 500 || status === 460;
      },
      onError: function (err) {
        var reason = serverReason(err);
        failedOffline = !navigator.onLine || !err.originalResponse;
        say(failedOffline ? msg("offline") : msg("error").replace("{reason}", reason || err.message), failedOffline ? "warning" : "error");
        pauseButton.hidden = true;
        resumeButton.hidden = false;
      },
      onSuccess: function () {
        bar.value = 100;
        percent.textContent = "100 %";
        speedBox.textContent = "";
        pauseButton.hidden = true;
        resumeButton.hidden = true;
        say(msg("done"), "success");
        document.dispatchEvent(new CustomEvent("film:uploaded"));
      }
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) { upload.resumeFromPreviousUpload(previous[0]); }
      upload.start();
      pauseButton.hidden = false;
      resumeButton.hidden = true;
    });
  }

  input.addEventListener("change", function () {
    if (input.files && input.files[0]) { start(input.files[0]); }
  });
  pauseButton.addEventListener("click", function () {
    if (!upload) { return; }
    upload.abort();
    pauseButton.hidden = true;
    resumeButton.hidden = false;
  });
  resumeButton.addEventListener("click", function () {
    if (!upload) { return; }
    say("");
    upload.start();
    resumeButton.hidden = true;
    pauseButton.hidden = false;
  });
  window.addEventListener("online", function () {
    if (upload && failedOffline) { failedOffline = false; say(""); upload.start(); resumeButton.hidden = true; pauseButton.hidden = false; }
  });
  window.addEventListener("offline", function () { if (upload) { say(msg("offline"), "warning"); } });
})();
