/*
 * Framewire web client: receives the render stream over standard WebRTC and sends input back.
 * Plain ES2020, no build step. Protocol: see io.framewire.plugin.webrtc.signaling.SignalingProtocol.
 *
 * URL parameters: token=<access token> (required), overlay=0 (start with the overlay hidden).
 *
 * JS API (window.framewire): state, video, peerId, hello, stage, stats(), sendApp(obj), onApp(cb),
 * onStage(cb), onState(cb), loadStage(uri), reconnect(), close().
 *
 * Reconnects on its own (back-off) after any drop: a server restart keeps the token, and the new
 * hello brings the new stream size. A refused token is the one exception: browsers hide the HTTP
 * status of a refused WebSocket upgrade (the socket just closes with 1006), so when a socket closes
 * before it opened, the client asks GET /access?token=... (204: right token, 403: wrong); on 403 it
 * shows ACCESS_DENIED and stops. See docs/protocol.md.
 */
(() => {
  'use strict';

  const MIN_RETRY_MS = 500;
  const MAX_RETRY_MS = 10000;
  const STABLE_MS = 60000;          // connected this long: the back-off starts again at MIN_RETRY_MS
  const CONNECT_TIMEOUT_MS = 20000; // hello → media connected, else start over
  const DISCONNECTED_GRACE_MS = 10000;
  const PING_MS = 5000;
  const STATS_MS = 1000;
  const MAX_BUFFERED = 1 << 20;     // drop input while the socket has this much unsent
  const DEMO_STAGE = 'scene:demo?delayMillis=10000';
  const ACCESS_DENIED = 'access denied: the token is wrong or expired';
  const SCROLL_KEYS = new Set([' ', 'Spacebar', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight',
    'PageUp', 'PageDown', 'Home', 'End', 'Backspace']);

  const params = new URLSearchParams(location.search);
  const token = params.get('token') || '';
  const $ = (id) => document.getElementById(id);
  const video = $('fw-video');
  const overlay = $('fw-overlay');

  let ws = null;
  let pc = null;
  let hello = null;
  let state = 'idle';
  let detail = '';
  let generation = 0;        // bumped on every teardown: late callbacks of old connections are ignored
  let closedByUser = false;
  let retryDelay = MIN_RETRY_MS;
  let offerSent = false;
  let localCandidates = [];  // gathered before the offer went out
  let remoteCandidates = []; // arrived before the answer was applied
  const timers = { retry: 0, stable: 0, connect: 0, disconnected: 0, ping: 0, stats: 0 };
  const appListeners = new Set();
  const stageListeners = new Set();
  const stateListeners = new Set();
  let lastError = null;
  let prevSample = null;
  let stats = emptyStats();
  let network = null;        // the server's view of this viewer's path ('network' messages)
  const stage = { uri: null, status: null, progress: null, detail: null, error: null };

  function emptyStats() {
    return {
      timestamp: 0, fps: null, bitrateKbps: null, decodeMs: null, rttMs: null, signalingRttMs: null,
      width: null, height: null, codec: null, framesDecoded: null, framesDropped: null,
      packetsLost: null, bytesReceived: null,
    };
  }

  // ------------------------------------------------------------------ state and overlay

  function setState(next, why) {
    const changed = next !== state;
    state = next;
    detail = why || '';
    const el = $('fw-state');
    if (el) {
      el.textContent = detail ? `${state}: ${detail}` : state;
      el.className = `fw-state-${state}`;
    }
    if (changed) {
      stats.state = state;
      for (const cb of stateListeners) safeCall(cb, state, detail);
      window.dispatchEvent(new CustomEvent('framewire:state', { detail: { state, reason: detail } }));
    }
  }

  function text(id, value) {
    const el = $(id);
    if (el) el.textContent = value;
  }

  const fmt = (v, digits, unit) => (v == null || !Number.isFinite(v) ? '-' : `${v.toFixed(digits)}${unit}`);

  function renderStats() {
    text('fw-fps', fmt(stats.fps, 1, ''));
    text('fw-bitrate', stats.bitrateKbps == null ? '-'
      : stats.bitrateKbps >= 1000 ? fmt(stats.bitrateKbps / 1000, 2, ' Mbit/s') : fmt(stats.bitrateKbps, 0, ' kbit/s'));
    text('fw-decode', fmt(stats.decodeMs, 2, ' ms'));
    const rtt = [fmt(stats.rttMs, 0, ' ms media'), stats.signalingRttMs == null ? null : fmt(stats.signalingRttMs, 0, ' ms ws')]
      .filter(Boolean).join(', ');
    text('fw-rtt', rtt);
    const size = stats.width ? `${stats.width}x${stats.height}` : (hello && hello.width ? `${hello.width}x${hello.height}` : '-');
    const codec = stats.codec || (hello && hello.codec) || '';
    const lost = stats.packetsLost ? `, lost ${stats.packetsLost}` : '';
    text('fw-video-info', `${size} ${codec}${lost}`.trim());
    text('fw-network', networkLine(network));
  }

  const kbps = (v) => (v == null ? null : v >= 1000 ? fmt(v / 1000, 2, ' Mbit/s') : fmt(v, 0, ' kbit/s'));

  /** The server's figures for this viewer: estimate, sent, encoder, pacer queue, loss. */
  function networkLine(n) {
    if (!n) return '-';
    return [
      n.estimateKbps == null ? null : `est ${kbps(n.estimateKbps)}`,
      n.sendKbps == null ? null : `sent ${kbps(n.sendKbps)}`,
      n.encoderKbps == null ? null : `enc ${kbps(n.encoderKbps)}`,
      n.pacerQueueMs == null ? null : `queue ${fmt(n.pacerQueueMs, 0, ' ms')}`,
      n.lossPercent == null ? null : `loss ${fmt(n.lossPercent, 1, ' %')}`,
    ].filter(Boolean).join(', ') || '-';
  }

  function renderStage() {
    const bar = $('fw-stage-bar');
    let line = '-';
    if (stage.status) {
      const pct = stage.progress == null ? '' : ` ${Math.round(stage.progress * 100)}%`;
      line = `${stage.status}${pct} ${stage.uri || ''}`;
      if (stage.detail && stage.status === 'loading') line += ` (${stage.detail})`;
      if (stage.error) line += `: ${stage.error}`;
    }
    if (lastError) line += ` [server: ${lastError}]`;
    text('fw-stage', line);
    if (bar) {
      bar.style.width = `${Math.round((stage.progress || 0) * 100)}%`;
      bar.classList.toggle('fw-failed', stage.status === 'failed');
    }
  }

  function safeCall(cb, ...args) {
    try {
      cb(...args);
    } catch (e) {
      console.error('[framewire] callback failed', e);
    }
  }

  // ------------------------------------------------------------------ signaling

  function send(msg) {
    const sock = ws;
    if (!sock || sock.readyState !== WebSocket.OPEN) return false;
    if (sock.bufferedAmount > MAX_BUFFERED && msg.type === 'pointer') return false;
    sock.send(JSON.stringify(msg));
    return true;
  }

  function connect() {
    clearTimeout(timers.retry);
    if (closedByUser) return;
    if (!token) {
      setState('failed', 'no access token: open the URL the server logged (…/?token=…)');
      return;
    }
    const gen = ++generation;
    setState('connecting');
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let sock;
    try {
      sock = new WebSocket(`${scheme}//${location.host}/signal?token=${encodeURIComponent(token)}`);
    } catch (e) {
      retry(gen, `websocket: ${e.message}`);
      return;
    }
    ws = sock;
    let opened = false;
    sock.onopen = () => {
      if (gen !== generation) return;
      opened = true;
      showMessage(null);
      setState('signaling');
      timers.ping = setInterval(() => send({ type: 'ping', t: performance.now() }), PING_MS);
    };
    sock.onmessage = (ev) => {
      if (gen === generation && typeof ev.data === 'string') onSignal(gen, ev.data);
    };
    sock.onclose = (ev) => {
      if (gen !== generation) return;
      const reason = `signaling closed (${ev.code}${ev.reason ? ` ${ev.reason}` : ''})`;
      if (opened) retry(gen, reason);
      else checkAccess(gen, reason); // refused or unreachable: the browser does not say which
    };
    sock.onerror = () => { /* onclose follows */ };
  }

  /** Asks the server whether the token is right; 403 ends the reconnecting, anything else retries. */
  async function checkAccess(gen, reason) {
    let status = 0;
    try {
      const res = await fetch(`/access?token=${encodeURIComponent(token)}`, { cache: 'no-store' });
      status = res.status;
    } catch (e) {
      status = 0; // server down (restarting): retry
    }
    if (gen !== generation) return;
    if (status === 403) denied();
    else retry(gen, reason);
  }

  /** The server refused the token: stop (a page cannot fix its token), say so on the page. */
  function denied() {
    teardown();
    console.warn(`[framewire] ${ACCESS_DENIED}; not reconnecting`);
    setState('denied', ACCESS_DENIED);
    showMessage(ACCESS_DENIED);
  }

  function showMessage(textOrNull) {
    const el = $('fw-message');
    if (!el) return;
    el.textContent = textOrNull || '';
    el.hidden = !textOrNull;
  }

  function onSignal(gen, data) {
    let msg;
    try {
      msg = JSON.parse(data);
    } catch (e) {
      console.warn('[framewire] bad signaling message', data);
      return;
    }
    if (!msg || typeof msg.type !== 'string') return;
    switch (msg.type) {
      case 'hello':
        hello = msg;
        renderStats();
        startPeer(gen, msg);
        break;
      case 'answer':
        applyAnswer(gen, msg.sdp);
        break;
      case 'candidate':
        addRemoteCandidate(msg);
        break;
      case 'app':
        for (const cb of appListeners) safeCall(cb, msg.data);
        break;
      case 'pong':
        if (typeof msg.t === 'number') stats.signalingRttMs = performance.now() - msg.t;
        break;
      case 'network':
        network = msg;
        renderStats();
        break;
      case 'error':
        console.warn('[framewire] server error:', msg.error);
        lastError = msg.error;
        renderStage();
        break;
      default:
        if (msg.type.startsWith('stage.')) onStage(msg);
    }
  }

  function onStage(msg) {
    const kind = msg.type.slice('stage.'.length);
    lastError = null;
    stage.uri = msg.uri || stage.uri;
    stage.detail = msg.detail || null;
    stage.error = null;
    if (kind === 'started') {
      stage.status = 'loading';
      stage.progress = 0;
    } else if (kind === 'progress') {
      stage.status = 'loading';
      if (typeof msg.progress === 'number') stage.progress = Math.max(0, Math.min(1, msg.progress));
    } else if (kind === 'loaded') {
      stage.status = 'loaded';
      stage.progress = 1;
    } else if (kind === 'failed') {
      stage.status = 'failed';
      stage.error = msg.error || 'failed';
    } else if (kind === 'cancelled') {
      stage.status = 'cancelled';
    } else {
      stage.status = kind;
    }
    renderStage();
    for (const cb of stageListeners) safeCall(cb, msg);
  }

  // ------------------------------------------------------------------ WebRTC

  function preferCodec(transceiver, codec) {
    if (!codec || !transceiver.setCodecPreferences || !window.RTCRtpReceiver || !RTCRtpReceiver.getCapabilities) return;
    const caps = RTCRtpReceiver.getCapabilities('video');
    if (!caps) return;
    const want = `video/${String(codec).toLowerCase()}`;
    const preferred = caps.codecs.filter((c) => c.mimeType.toLowerCase() === want);
    if (!preferred.length) return;
    const rest = caps.codecs.filter((c) => c.mimeType.toLowerCase() !== want);
    try {
      transceiver.setCodecPreferences(preferred.concat(rest));
    } catch (e) {
      console.warn('[framewire] setCodecPreferences failed', e);
    }
  }

  function sendCandidate(c) {
    send(c ? { type: 'candidate', candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex }
      : { type: 'candidate', candidate: '', sdpMid: null, sdpMLineIndex: null });
  }

  async function startPeer(gen, h) {
    closePeer();
    const config = { bundlePolicy: 'max-bundle' };
    if (Array.isArray(h.iceServers)) config.iceServers = h.iceServers;
    let peer;
    try {
      peer = new RTCPeerConnection(config);
    } catch (e) {
      retry(gen, `RTCPeerConnection: ${e.message}`);
      return;
    }
    pc = peer;
    offerSent = false;
    localCandidates = [];
    remoteCandidates = [];
    const transceiver = peer.addTransceiver('video', { direction: 'recvonly' });
    preferCodec(transceiver, h.codec);
    // Interactive streaming: ask the receiver to buffer as little as it can (Chromium honours it;
    // 'playoutDelayHint' is the older name). The network is usually a LAN or localhost.
    try {
      if ('jitterBufferTarget' in transceiver.receiver) transceiver.receiver.jitterBufferTarget = 0;
      else if ('playoutDelayHint' in transceiver.receiver) transceiver.receiver.playoutDelayHint = 0;
    } catch (e) { /* not supported: default buffering */ }
    peer.ontrack = (ev) => {
      if (gen !== generation) return;
      const stream = ev.streams && ev.streams[0] ? ev.streams[0] : new MediaStream([ev.track]);
      if (video.srcObject !== stream) video.srcObject = stream;
      const playing = video.play();
      if (playing && playing.catch) playing.catch(() => { /* autoplay of muted video is allowed; retried on next track */ });
    };
    peer.onicecandidate = (ev) => {
      if (gen !== generation) return;
      if (offerSent) sendCandidate(ev.candidate);
      else localCandidates.push(ev.candidate);
    };
    peer.onconnectionstatechange = () => {
      if (gen === generation) onPeerState(gen, peer.connectionState);
    };
    peer.oniceconnectionstatechange = () => {
      // Browsers without connectionState: follow the ICE state.
      if (gen === generation && peer.connectionState === undefined) {
        const s = peer.iceConnectionState;
        onPeerState(gen, s === 'completed' ? 'connected' : s === 'checking' ? 'connecting' : s);
      }
    };
    clearTimeout(timers.connect);
    timers.connect = setTimeout(() => retry(gen, 'timed out connecting the media'), CONNECT_TIMEOUT_MS);
    try {
      const offer = await peer.createOffer();
      await peer.setLocalDescription(offer);
      if (gen !== generation) return;
      if (!send({ type: 'offer', sdp: peer.localDescription.sdp })) return; // onclose retries
      offerSent = true;
      for (const c of localCandidates.splice(0)) sendCandidate(c);
      setState('negotiating');
    } catch (e) {
      retry(gen, `offer: ${e.message}`);
    }
  }

  async function applyAnswer(gen, sdp) {
    const peer = pc;
    if (!peer || typeof sdp !== 'string') return;
    try {
      await peer.setRemoteDescription({ type: 'answer', sdp });
      if (gen !== generation) return;
      for (const c of remoteCandidates.splice(0)) {
        await peer.addIceCandidate(c).catch((e) => console.warn('[framewire] remote candidate', e));
      }
    } catch (e) {
      retry(gen, `answer: ${e.message}`);
    }
  }

  function addRemoteCandidate(msg) {
    const init = {
      candidate: typeof msg.candidate === 'string' ? msg.candidate : '',
      sdpMid: msg.sdpMid ?? null,
      sdpMLineIndex: msg.sdpMLineIndex ?? null,
    };
    if (init.sdpMid === null && init.sdpMLineIndex === null) init.sdpMLineIndex = 0;
    if (!pc || !pc.remoteDescription) {
      remoteCandidates.push(init);
    } else {
      pc.addIceCandidate(init).catch((e) => console.warn('[framewire] remote candidate', e));
    }
  }

  function onPeerState(gen, s) {
    if (s === 'connected') {
      clearTimeout(timers.connect);
      clearTimeout(timers.disconnected);
      timers.disconnected = 0;
      setState('connected');
      if (!timers.stable) {
        timers.stable = setTimeout(() => { retryDelay = MIN_RETRY_MS; }, STABLE_MS);
      }
      if (!timers.stats) timers.stats = setInterval(() => sampleStats(gen), STATS_MS);
    } else if (s === 'failed') {
      retry(gen, 'media connection failed');
    } else if (s === 'disconnected') {
      setState('disconnected', 'media interrupted');
      clearTimeout(timers.stable);
      timers.stable = 0;
      if (!timers.disconnected) {
        timers.disconnected = setTimeout(() => retry(gen, 'media disconnected'), DISCONNECTED_GRACE_MS);
      }
    }
  }

  function closePeer() {
    if (pc) {
      pc.ontrack = pc.onicecandidate = pc.onconnectionstatechange = pc.oniceconnectionstatechange = null;
      try {
        pc.close();
      } catch (e) { /* already closed */ }
      pc = null;
    }
    offerSent = false;
    localCandidates = [];
    remoteCandidates = [];
    prevSample = null;
  }

  function teardown() {
    generation++;
    for (const k of ['retry', 'stable', 'connect', 'disconnected']) {
      clearTimeout(timers[k]);
      timers[k] = 0;
    }
    clearInterval(timers.ping);
    clearInterval(timers.stats);
    timers.ping = 0;
    timers.stats = 0;
    releaseInput();
    if (ws) {
      const sock = ws;
      ws = null;
      sock.onopen = sock.onmessage = sock.onclose = sock.onerror = null;
      try {
        if (sock.readyState === WebSocket.OPEN || sock.readyState === WebSocket.CONNECTING) sock.close(1000);
      } catch (e) { /* closing anyway */ }
    }
    closePeer();
  }

  /** Tears everything down and connects again after the back-off delay. */
  function retry(gen, reason) {
    if (gen !== generation) return;
    teardown();
    if (closedByUser) {
      setState('closed');
      return;
    }
    const delay = retryDelay;
    retryDelay = Math.min(MAX_RETRY_MS, retryDelay * 2);
    console.info(`[framewire] ${reason}; reconnecting in ${delay} ms`);
    setState('reconnecting', `${reason}; retry in ${(delay / 1000).toFixed(1)} s`);
    timers.retry = setTimeout(connect, delay);
  }

  // ------------------------------------------------------------------ statistics

  async function sampleStats(gen) {
    const peer = pc;
    if (!peer || gen !== generation) return;
    let report;
    try {
      report = await peer.getStats();
    } catch (e) {
      return;
    }
    if (gen !== generation) return;
    let inbound = null;
    let selectedPairId = null;
    const pairs = [];
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && (s.kind || s.mediaType) === 'video') inbound = s;
      else if (s.type === 'transport' && s.selectedCandidatePairId) selectedPairId = s.selectedCandidatePairId;
      else if (s.type === 'candidate-pair') pairs.push(s);
    });
    let pair = pairs.find((p) => p.id === selectedPairId);
    if (!pair) pair = pairs.find((p) => (p.selected || p.nominated) && p.state === 'succeeded');
    const next = emptyStats();
    next.state = state;
    next.signalingRttMs = stats.signalingRttMs;
    next.timestamp = Date.now();
    if (pair && typeof pair.currentRoundTripTime === 'number') next.rttMs = pair.currentRoundTripTime * 1000;
    if (inbound) {
      const now = inbound.timestamp || performance.now();
      next.framesDecoded = inbound.framesDecoded ?? null;
      next.framesDropped = inbound.framesDropped ?? null;
      next.packetsLost = inbound.packetsLost ?? null;
      next.bytesReceived = inbound.bytesReceived ?? null;
      next.width = inbound.frameWidth ?? null;
      next.height = inbound.frameHeight ?? null;
      const codec = inbound.codecId && report.get ? report.get(inbound.codecId) : null;
      if (codec && codec.mimeType) next.codec = codec.mimeType.replace(/^video\//i, '');
      const prev = prevSample;
      const dt = prev ? (now - prev.time) / 1000 : 0;
      if (typeof inbound.framesPerSecond === 'number') {
        next.fps = inbound.framesPerSecond;
      } else if (prev && dt > 0 && typeof inbound.framesDecoded === 'number') {
        next.fps = (inbound.framesDecoded - prev.framesDecoded) / dt;
      }
      if (prev && dt > 0 && typeof inbound.bytesReceived === 'number') {
        next.bitrateKbps = ((inbound.bytesReceived - prev.bytesReceived) * 8) / dt / 1000;
      }
      if (typeof inbound.totalDecodeTime === 'number' && inbound.framesDecoded > 0) {
        const dFrames = prev ? inbound.framesDecoded - prev.framesDecoded : 0;
        next.decodeMs = dFrames > 0
          ? ((inbound.totalDecodeTime - prev.totalDecodeTime) / dFrames) * 1000
          : (inbound.totalDecodeTime / inbound.framesDecoded) * 1000;
      }
      prevSample = {
        time: now,
        framesDecoded: inbound.framesDecoded || 0,
        bytesReceived: inbound.bytesReceived || 0,
        totalDecodeTime: inbound.totalDecodeTime || 0,
      };
    }
    stats = next;
    renderStats();
  }

  // ------------------------------------------------------------------ input

  let pendingMove = null;
  let pendingWheel = null;
  let frameRequested = false;
  const pressedButtons = new Set();
  const pressedKeys = new Map();

  function position(ev) {
    const r = video.getBoundingClientRect();
    return {
      x: Math.round((ev.clientX - r.left) * 100) / 100,
      y: Math.round((ev.clientY - r.top) * 100) / 100,
      elementWidth: video.clientWidth || r.width,
      elementHeight: video.clientHeight || r.height,
    };
  }

  function pointer(kind, ev, extra) {
    return Object.assign({ type: 'pointer', kind, button: ev.button > 0 ? ev.button : 0, buttons: ev.buttons || 0 },
      position(ev), { dx: 0, dy: 0 }, extra);
  }

  function flushInput() {
    frameRequested = false;
    if (pendingMove) {
      send(pendingMove);
      pendingMove = null;
    }
    if (pendingWheel) {
      send(pendingWheel);
      pendingWheel = null;
    }
  }

  function requestFlush() {
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(flushInput);
    }
  }

  function usable(el) {
    return el && el.clientWidth > 0 && el.clientHeight > 0;
  }

  video.addEventListener('pointerdown', (ev) => {
    ev.preventDefault();
    if (!usable(video)) return;
    flushInput();
    try {
      video.setPointerCapture(ev.pointerId);
    } catch (e) { /* not capturable */ }
    pressedButtons.add(ev.button);
    send(pointer('down', ev));
  });

  video.addEventListener('pointerup', (ev) => {
    ev.preventDefault();
    flushInput();
    pressedButtons.delete(ev.button);
    send(pointer('up', ev));
  });

  video.addEventListener('pointercancel', (ev) => {
    flushInput();
    for (const b of pressedButtons) send(pointer('up', ev, { button: b }));
    pressedButtons.clear();
  });

  video.addEventListener('pointermove', (ev) => {
    if (!usable(video)) return;
    pendingMove = pointer('move', ev);
    requestFlush();
  });

  video.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    if (!usable(video)) return;
    const scale = ev.deltaMode === 1 ? 16 : ev.deltaMode === 2 ? video.clientHeight : 1;
    const dx = ev.deltaX * scale;
    const dy = ev.deltaY * scale;
    if (pendingWheel) {
      Object.assign(pendingWheel, position(ev), { dx: pendingWheel.dx + dx, dy: pendingWheel.dy + dy });
    } else {
      pendingWheel = pointer('wheel', ev, { dx, dy });
    }
    requestFlush();
  }, { passive: false });

  video.addEventListener('contextmenu', (ev) => ev.preventDefault());

  function keyMessage(kind, ev) {
    return {
      type: 'key', kind, key: ev.key, code: ev.code || '',
      shift: ev.shiftKey, ctrl: ev.ctrlKey, alt: ev.altKey, meta: ev.metaKey, repeat: !!ev.repeat,
    };
  }

  function forwardKey(ev) {
    const t = ev.target;
    if (ev.isComposing || !ev.key || ev.key === 'Unidentified') return false;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return false;
    if (t && t.tagName === 'BUTTON' && (ev.key === 'Enter' || ev.key === ' ')) return false;
    return true;
  }

  window.addEventListener('keydown', (ev) => {
    if (!forwardKey(ev)) return;
    if (SCROLL_KEYS.has(ev.key)) ev.preventDefault();
    pressedKeys.set(ev.code || ev.key, ev.key);
    send(keyMessage('down', ev));
  });

  window.addEventListener('keyup', (ev) => {
    if (!forwardKey(ev)) return;
    if (SCROLL_KEYS.has(ev.key)) ev.preventDefault();
    pressedKeys.delete(ev.code || ev.key);
    send(keyMessage('up', ev));
  });

  /** Releases held keys and buttons (window lost focus, connection torn down): no stuck input. */
  function releaseInput() {
    for (const [code, key] of pressedKeys) {
      send({ type: 'key', kind: 'up', key, code, shift: false, ctrl: false, alt: false, meta: false });
    }
    pressedKeys.clear();
    pressedButtons.clear();
    pendingMove = null;
    pendingWheel = null;
  }

  window.addEventListener('blur', releaseInput);

  // ------------------------------------------------------------------ controls and API

  function toggleOverlay(show) {
    overlay.classList.toggle('fw-hidden', show === undefined ? undefined : !show);
  }

  if (params.get('overlay') === '0') toggleOverlay(false);
  $('fw-overlay-toggle').addEventListener('click', (ev) => {
    toggleOverlay();
    ev.currentTarget.blur();
  });
  $('fw-load-demo').addEventListener('click', (ev) => {
    loadStage(DEMO_STAGE);
    ev.currentTarget.blur();
  });

  function loadStage(uri) {
    if (typeof uri !== 'string' || !uri) throw new TypeError('loadStage expects a non-empty URI string');
    return send({ type: 'stage.load', uri });
  }

  function subscribe(set, cb) {
    if (typeof cb !== 'function') throw new TypeError('expected a function');
    set.add(cb);
    return () => set.delete(cb);
  }

  window.framewire = {
    /** idle, connecting, signaling, negotiating, connected, disconnected, reconnecting, denied, failed, closed */
    get state() { return state; },
    video,
    get peerId() { return hello ? hello.peerId : null; },
    get hello() { return hello ? Object.assign({}, hello) : null; },
    get stage() { return Object.assign({}, stage); },
    /** The last computed figures (refreshed every second while connected). */
    stats: () => Object.assign({}, stats, { state, network: network ? Object.assign({}, network) : null }),
    /** Sends {"type":"app","data":obj}; returns false when not connected. */
    sendApp(obj) {
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new TypeError('sendApp expects a plain object');
      return send({ type: 'app', data: obj });
    },
    onApp: (cb) => subscribe(appListeners, cb),
    onStage: (cb) => subscribe(stageListeners, cb),
    onState: (cb) => subscribe(stateListeners, cb),
    loadStage,
    /** Drops the connection and connects again now, with a fresh back-off (also after 'denied'). */
    reconnect() {
      closedByUser = false;
      retryDelay = MIN_RETRY_MS;
      teardown();
      connect();
    },
    /** Disconnects for good (until reconnect()). */
    close() {
      closedByUser = true;
      teardown();
      setState('closed');
    },
  };

  renderStats();
  renderStage();
  connect();
})();
