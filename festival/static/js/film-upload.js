// Sends a film with tus: resumable after a dropped connection or a page reload.
// Each piece carries its SHA-256 (Upload-Checksum), so the server refuses a damaged one.
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
  var sendAnywayButton = box.querySelector("[data-send-anyway]");
  var resumeNote = box.querySelector("[data-resume-note]");
  var endpoint = new URL(box.getAttribute("data-endpoint"), window.location.href).href;
  var chunkSize = parseInt(box.getAttribute("data-chunk-bytes"), 10) || 8 * 1024 * 1024;
  var maxSeconds = parseFloat(box.getAttribute("data-max-seconds")) || 0;
  var upload = null;       // the upload on screen; an older one is stopped before a new starts
  var pausedByPerson = false;
  // Pausing waits for the piece in flight: cut off, its bytes could not be checked against
  // its checksum and were thrown away (8 MiB lost on a pause, then a reload).
  var pauseAfterPiece = false;
  var waitingForNetwork = false;
  var pendingFile = null;  // a file held back because it looks too long
  var choice = 0;          // which file choice is the latest
  var samples = [];

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
  function showButtons(running) {
    pauseButton.hidden = !running;
    resumeButton.hidden = running;
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
    if (waitingForNetwork && navigator.onLine) { waitingForNetwork = false; say(""); }
  }

  // The sentence the server gave with a refusal, in the person's language.
  function serverReason(err) {
    try { return JSON.parse(err.originalResponse.getBody()).error.message || ""; } catch (e) { return ""; }
  }

  function base64(buffer) {
    var bytes = new Uint8Array(buffer), text = "";
    for (var i = 0; i < bytes.length; i += 1) { text += String.fromCharCode(bytes[i]); }
    return btoa(text);
  }

  // The SHA-256 of the piece a PATCH carries: the same slice tus-js-client sends.
  function addChecksum(file, req) {
    if (req.getMethod() !== "PATCH" || !(window.crypto && crypto.subtle)) { return null; }
    var offset = parseInt(req.getHeader("Upload-Offset"), 10);
    if (!isFinite(offset)) { return null; }
    var piece = file.slice(offset, Math.min(offset + chunkSize, file.size));
    return piece.arrayBuffer()
      .then(function (bytes) { return crypto.subtle.digest("SHA-256", bytes); })
      .then(function (digest) { req.setHeader("Upload-Checksum", "sha256 " + base64(digest)); });
  }

  // The film's length as the browser reads it, or null when it cannot (codec unknown to it).
  function readDuration(file) {
    return new Promise(function (resolve) {
      var video = document.createElement("video");
      var url = URL.createObjectURL(file);
      var done = false;
      function finish(value) {
        if (done) { return; }
        done = true;
        URL.revokeObjectURL(url);
        video.removeAttribute("src");
        resolve(value);
      }
      video.preload = "metadata";
      video.muted = true;
      video.addEventListener("loadedmetadata", function () { finish(isFinite(video.duration) ? video.duration : null); });
      video.addEventListener("error", function () { finish(null); });
      setTimeout(function () { finish(null); }, 4000);
      video.src = url;
    });
  }

  // Another file replaces the one being sent: stop it and free its place on the server.
  function stopCurrent() {
    if (!upload) { return; }
    var old = upload;
    upload = null;
    old.abort(true).catch(function () { /* the server removes it when it expires */ });
  }

  function choose(file) {
    var mine = ++choice;
    stopCurrent();  // a second file chosen mid-upload replaces the first, never runs beside it
    pendingFile = null;
    sendAnywayButton.hidden = true;
    if (file.size === 0) {
      progressBox.hidden = true;
      say(msg("empty"), "error");
      return;
    }
    var max = parseInt(box.getAttribute("data-max-bytes"), 10);
    if (max && file.size > max) { progressBox.hidden = true; say(msg("too-big"), "error"); return; }
    if (!maxSeconds) { start(file); return; }
    nameBox.textContent = file.name + " · " + human(file.size);  // the new choice, at once
    bar.value = 0;
    percent.textContent = "0 %";
    speedBox.textContent = "";
    say(msg("reading"));
    readDuration(file).then(function (seconds) {
      if (mine !== choice) { return; }  // another file was chosen meanwhile
      if (seconds !== null && seconds > maxSeconds) {
        pendingFile = file;
        progressBox.hidden = true;
        say(msg("too-long").replace("{duration}", duration(seconds)).replace("{limit}", duration(maxSeconds)), "error");
        sendAnywayButton.hidden = false;
        return;
      }
      start(file);
    });
  }

  function start(file) {
    nameBox.textContent = file.name + " · " + human(file.size);
    progressBox.hidden = false;
    resumeNote.hidden = true;
    bar.value = 0;
    percent.textContent = "0 %";
    speedBox.textContent = "";
    samples = [];
    pausedByPerson = false;
    waitingForNetwork = false;
    say("");
    var mine = new tus.Upload(file, {
      endpoint: endpoint,
      chunkSize: chunkSize,
      retryDelays: [0, 1000, 2000, 5000, 10000, 20000, 30000, 60000, 60000, 60000],
      metadata: { filename: file.name, filetype: file.type || "", film: box.getAttribute("data-film") },
      removeFingerprintOnSuccess: true,
      onBeforeRequest: function (req) { return addChecksum(file, req); },
      onProgress: function (sent, total) { if (upload === mine) { onProgress(sent, total); } },
      onChunkComplete: function (_size, accepted, total) {
        if (upload !== mine || !pauseAfterPiece || accepted >= total) { return; }
        pauseAfterPiece = false;
        pauseNow();
      },
      onShouldRetry: function (err) {
        var status = err.originalResponse ? err.originalResponse.getStatus() : 0;
        var worthRetrying = status === 0 || status === 409 || status === 423 || status >= 500 || status === 460;
        if (upload !== mine) {
          // Replaced by another file: only its removal goes on (the server answers 409 while
          // it still reads the piece that was cut off).
          return worthRetrying && err.originalRequest && err.originalRequest.getMethod() === "DELETE";
        }
        var reason = serverReason(err);
        if (!navigator.onLine || status === 0) { waitingForNetwork = true; say(msg("offline"), "warning"); }
        else if (status === 507 && reason) { say(reason, "warning"); }  // disk full: say so, keep trying
        else if (status !== 409 && status !== 423) { say(msg("retrying"), "warning"); }
        return worthRetrying;
      },
      onError: function (err) {
        if (upload !== mine) { return; }
        var reason = serverReason(err);
        if (!navigator.onLine || !err.originalResponse) {
          waitingForNetwork = true;  // resumes by itself on the browser's `online` event
          say(msg("offline"), "warning");
          showButtons(false);
          return;
        }
        say(msg("error").replace("{reason}", reason || err.message), "error");
        showButtons(false);
      },
      onSuccess: function () {
        if (upload !== mine) { return; }
        bar.value = 100;
        percent.textContent = "100 %";
        speedBox.textContent = "";
        pauseButton.hidden = true;
        resumeButton.hidden = true;
        say(msg("done"), "success");
        document.dispatchEvent(new CustomEvent("film:uploaded"));
      }
    });
    upload = mine;
    mine.findPreviousUploads().then(function (previous) {
      if (upload !== mine) { return; }
      if (previous.length) { mine.resumeFromPreviousUpload(previous[0]); }
      mine.start();
      showButtons(true);
    });
  }

  // Start again now rather than at the next retry delay, from the offset the server holds.
  function restart() {
    if (!upload) { return; }
    var current = upload;
    current.abort().then(function () {
      if (upload === current && !pausedByPerson) { current.start(); showButtons(true); }
    });
  }

  input.addEventListener("change", function () {
    if (input.files && input.files[0]) { choose(input.files[0]); }
  });
  sendAnywayButton.addEventListener("click", function () {
    if (!pendingFile) { return; }
    var file = pendingFile;
    pendingFile = null;
    sendAnywayButton.hidden = true;
    start(file);
  });
  function pauseNow() {
    upload.abort();
    speedBox.textContent = "";
    samples = [];
    say(msg("paused"));
    pauseButton.disabled = false;
    showButtons(false);
  }
  pauseButton.addEventListener("click", function () {
    if (!upload) { return; }
    pausedByPerson = true;
    if (waitingForNetwork || !navigator.onLine) { pauseNow(); return; }  // nothing in flight
    pauseAfterPiece = true;
    pauseButton.disabled = true;
    say(msg("pausing"));
  });
  resumeButton.addEventListener("click", function () {
    if (!upload) { return; }
    pausedByPerson = false;
    pauseAfterPiece = false;
    waitingForNetwork = false;
    say("");
    upload.start();
    showButtons(true);
  });
  window.addEventListener("online", function () {
    if (!upload || pausedByPerson) { return; }
    if (waitingForNetwork) { waitingForNetwork = false; say(""); restart(); }
  });
  window.addEventListener("offline", function () {
    if (upload && !pausedByPerson) { waitingForNetwork = true; say(msg("offline"), "warning"); }
  });
})();
