/*
 * JobPilot live notifications: a small client for /ws/notifications/ (plain JS, no dependencies).
 *
 *   <script src="/static/js/notifications.js"></script>
 *   <script>
 *     const live = JobPilotNotifications.connect();            // web: the session cookie authenticates
 *     document.addEventListener("jobpilot:notification", (event) => {
 *       const {type, id, created_at, data} = event.detail;     // data.title, data.body, data.url, ...
 *     });
 *   </script>
 *
 * App clients pass `token` (a string, or a function returning the current access token or a promise of it).
 * The client reconnects with backoff and sends the last id it saw, so the server replays whatever was missed.
 *
 * Events, dispatched on `target` (default: document):
 *   jobpilot:notification         detail = {type, id, created_at, data}, once per notification
 *   jobpilot:notifications-status detail = {status: "connecting" | "open" | "closed" | "unauthorized", code}
 */
(function (global) {
  "use strict";

  var CLOSE_BAD_REQUEST = 4400;
  var CLOSE_UNAUTHENTICATED = 4401;
  var CLOSE_FORBIDDEN_ORIGIN = 4403;

  function defaultUrl() {
    var scheme = global.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + global.location.host + "/ws/notifications/";
  }

  function NotificationSocket(options) {
    options = options || {};
    this.url = options.url || defaultUrl();
    this.token = options.token || null;
    this.target = options.target || global.document;
    this.lastId = options.lastId || null;
    this.minDelayMs = options.minDelayMs || 1000;
    this.maxDelayMs = options.maxDelayMs || 30000;
    // The server pings every 25 s; a socket silent for longer than this is considered dead and reopened.
    this.staleAfterMs = options.staleAfterMs || 60000;
    this.attempt = 0;
    this.socket = null;
    this.stopped = false;
    this.retryTimer = null;
    this.staleTimer = null;
    this.open();
  }

  NotificationSocket.prototype.open = function () {
    var self = this;
    if (self.stopped) return;
    self.emitStatus("connecting");
    Promise.resolve(typeof self.token === "function" ? self.token() : self.token)
      .then(function (token) {
        if (self.stopped) return;
        var params = [];
        if (token) params.push("token=" + encodeURIComponent(token));
        if (self.lastId !== null) params.push("last_id=" + encodeURIComponent(self.lastId));
        var socket = new global.WebSocket(self.url + (params.length ? "?" + params.join("&") : ""));
        self.socket = socket;
        socket.onopen = function () {
          self.emitStatus("open");
          self.touch();
        };
        socket.onmessage = function (event) {
          self.touch();
          self.handle(event.data);
        };
        socket.onclose = function (event) {
          self.onClose(socket, event.code);
        };
      })
      .catch(function () {
        self.scheduleReconnect();
      });
  };

  NotificationSocket.prototype.handle = function (raw) {
    var message;
    try {
      message = JSON.parse(raw);
    } catch (error) {
      return;
    }
    if (message.id === null || message.id === undefined) {
      if (message.type === "ping") this.send({type: "pong"});
      if (message.type === "replayed") {
        this.attempt = 0; // caught up: the connection is healthy
        if (message.data && message.data.truncated && this.lastId !== null) {
          this.send({type: "resume", last_id: this.lastId});
        }
      }
      return;
    }
    if (this.lastId === null || message.id > this.lastId) this.lastId = message.id;
    this.target.dispatchEvent(new global.CustomEvent("jobpilot:notification", {detail: message}));
  };

  NotificationSocket.prototype.send = function (payload) {
    if (this.socket && this.socket.readyState === global.WebSocket.OPEN) {
      this.socket.send(JSON.stringify(payload));
    }
  };

  NotificationSocket.prototype.touch = function () {
    var self = this;
    global.clearTimeout(self.staleTimer);
    self.staleTimer = global.setTimeout(function () {
      if (self.socket) self.socket.close(); // onclose reconnects
    }, self.staleAfterMs);
  };

  NotificationSocket.prototype.onClose = function (socket, code) {
    if (socket !== this.socket) return;
    global.clearTimeout(this.staleTimer);
    this.socket = null;
    if (this.stopped) return;
    if (code === CLOSE_UNAUTHENTICATED) {
      this.emitStatus("unauthorized", code);
      // A token function can hand out a refreshed token; a fixed token or the session cannot recover alone.
      if (typeof this.token === "function") this.scheduleReconnect();
      return;
    }
    this.emitStatus("closed", code);
    if (code === CLOSE_BAD_REQUEST || code === CLOSE_FORBIDDEN_ORIGIN) return;
    this.scheduleReconnect();
  };

  NotificationSocket.prototype.scheduleReconnect = function () {
    var self = this;
    if (self.stopped) return;
    var ceiling = Math.min(self.maxDelayMs, self.minDelayMs * Math.pow(2, self.attempt));
    self.attempt += 1;
    // Full jitter, so that clients dropped together by a server restart do not all come back at once.
    var delay = Math.random() * ceiling;
    global.clearTimeout(self.retryTimer);
    self.retryTimer = global.setTimeout(function () {
      self.open();
    }, delay);
  };

  NotificationSocket.prototype.emitStatus = function (status, code) {
    this.target.dispatchEvent(
      new global.CustomEvent("jobpilot:notifications-status", {detail: {status: status, code: code || null}})
    );
  };

  NotificationSocket.prototype.close = function () {
    this.stopped = true;
    global.clearTimeout(this.retryTimer);
    global.clearTimeout(this.staleTimer);
    if (this.socket) this.socket.close(1000);
  };

  global.JobPilotNotifications = {
    connect: function (options) {
      return new NotificationSocket(options);
    },
    NotificationSocket: NotificationSocket,
  };
})(window);
