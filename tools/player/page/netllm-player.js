// The real player of `netllm realtest` (issue 17). dash.js plays the DASH stream served (and shaped) by the testbed;
// a custom ABR rule returns the quality the policy server chose. The first chunk is fetched at quality `first`
// (default 1, the API's DEFAULT_QUALITY) without asking; after every media segment download the page posts the
// state to POST /policy/v1/sessions/{session}/decisions (the testbed proxies /policy/ to the policy server, so the
// page has one origin) and uses the answer for the next segment. Everything measured is in window.netllm.log; the
// driver polls window.netllm.snapshot() until log.done.
(function () {
  'use strict';
  const params = new URLSearchParams(location.search);
  const session = params.get('session');
  const mpd = params.get('mpd') || '/media/manifest.mpd';
  const firstQuality = Number(params.get('first') || '1');
  const chunkSeconds = 4;
  const log = {
    session: session, started_ms: performance.now(), first_quality: firstQuality,
    chunks: [],        // one per media segment: index, quality, bytes, request/end times (ms since page start), stall
    stalls: [],        // {start_ms, end_ms}: the video element waiting with an empty buffer (startup included)
    switches: [],      // {at_ms, chunk, from, to}
    buffer: [],        // {at_ms, buffer_s} sampled every 250 ms
    decisions: [],     // {chunk, quality, latency_ms (seen by the page), server_ms}
    errors: [], playback_started_ms: null, ended_ms: null, done: false
  };
  const now = () => performance.now() - log.started_ms;
  window.netllm = { log: log, snapshot: () => JSON.stringify(log), state: () => JSON.stringify(videoState()) };
  const status = document.getElementById('status');
  const video = document.getElementById('video');
  let nextQuality = firstQuality;
  let sizes = null;          // sizes[level][chunk] in bytes, from /media/sizes.json (the video_size_L files)
  let totalChunks = 0;
  let stallStart = 0;        // the player is stalled from the start until the first frame plays
  let lastEnd = 0;
  const started = {};

  function fail(message) {
    log.errors.push(String(message));
    log.done = true;
    status.textContent = 'error: ' + message;
  }

  function chunkOf(url) {
    const m = /chunk-stream(\d+)-(\d+)\.m4s/.exec(url || '');
    return m ? { level: Number(m[1]), index: Number(m[2]) - 1 } : null;
  }

  // What the video element is doing, for the driver's message when a playback does not finish.
  function videoState() {
    const ranges = [];
    for (let i = 0; i < video.buffered.length; i++) ranges.push([video.buffered.start(i), video.buffered.end(i)]);
    return { current_time: video.currentTime, duration: video.duration, ready_state: video.readyState,
             network_state: video.networkState, paused: video.paused, ended: video.ended, buffered: ranges,
             chunks: log.chunks.length, total_chunks: totalChunks, stalled_since_ms: stallStart };
  }

  function stallBetween(from, to) {
    let total = 0;
    const intervals = log.stalls.map(s => [s.start_ms, s.end_ms]);
    if (stallStart !== null) intervals.push([stallStart, to]);
    for (const [a, b] of intervals) {
      const lo = Math.max(a, from), hi = Math.min(b, to);
      if (hi > lo) total += hi - lo;
    }
    return total;
  }

  function decide(state) {
    const xhr = new XMLHttpRequest();
    const t0 = performance.now();
    // Synchronous on purpose: dash.js asks its rules synchronously, so the decision must be known before the
    // scheduler requests the next segment; the page-seen latency includes this wait (as a real deployment's would).
    xhr.open('POST', '/policy/v1/sessions/' + encodeURIComponent(session) + '/decisions', false);
    xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.send(JSON.stringify(state));
    const latency = performance.now() - t0;
    if (xhr.status !== 200) throw new Error('decision HTTP ' + xhr.status + ': ' + xhr.responseText);
    const answer = JSON.parse(xhr.responseText);
    const q = answer.action && answer.action.quality;
    if (!Number.isInteger(q) || q < 0 || q > 5) throw new Error('decision without a quality 0..5: ' + xhr.responseText);
    log.decisions.push({ chunk: state.chunk_index + 1, quality: q, latency_ms: latency, server_ms: answer.decision_ms });
    return q;
  }

  function NetLlmRuleClass() {
    const context = this.context;
    const SwitchRequest = dashjs.FactoryMaker.getClassFactoryByName('SwitchRequest');
    function getSwitchRequest(rulesContext) {
      const request = SwitchRequest(context).create();
      const mediaInfo = rulesContext.getMediaInfo();
      if (!mediaInfo || mediaInfo.type !== 'video') return request;
      const reps = rulesContext.getAbrController().getPossibleVoRepresentations(mediaInfo, true)
        .slice().sort((a, b) => a.bandwidth - b.bandwidth);
      request.representation = reps[Math.min(nextQuality, reps.length - 1)];
      request.priority = SwitchRequest.PRIORITY.STRONG;
      request.reason = { rule: 'NetLlmRule', quality: nextQuality };
      return request;
    }
    return { getSwitchRequest: getSwitchRequest };
  }
  NetLlmRuleClass.__dashjs_factory_name = 'NetLlmRule';
  const NetLlmRule = dashjs.FactoryMaker.getClassFactory(NetLlmRuleClass);

  video.addEventListener('playing', () => {
    const t = now();
    if (log.playback_started_ms === null) log.playback_started_ms = t;
    if (stallStart !== null) { log.stalls.push({ start_ms: stallStart, end_ms: t }); stallStart = null; }
  });
  video.addEventListener('waiting', () => { if (stallStart === null && !video.ended) stallStart = now(); });
  video.addEventListener('ended', () => {
    log.ended_ms = now();
    if (stallStart !== null) { log.stalls.push({ start_ms: stallStart, end_ms: log.ended_ms }); stallStart = null; }
    log.done = true;
    status.textContent = 'ended: ' + log.chunks.length + ' chunks, ' + log.stalls.length + ' stalls';
  });
  video.addEventListener('error', () => fail('video element error ' + (video.error && video.error.message)));

  const player = dashjs.MediaPlayer().create();
  player.updateSettings({
    debug: { logLevel: dashjs.Debug.LOG_LEVEL_WARNING },
    streaming: {
      // The simulator's buffer cap is 60 s: the player keeps downloading until 60 s are buffered at any quality.
      buffer: { bufferTimeDefault: 60, bufferTimeAtTopQuality: 60, bufferTimeAtTopQualityLongForm: 60, bufferToKeep: 60,
                fastSwitchEnabled: false, initialBufferLevel: NaN, stallThreshold: 0.3 },
      abr: {
        autoSwitchBitrate: { video: true, audio: true },
        initialBitrate: { video: [300, 750, 1200, 1850, 2850, 4300][firstQuality] },
        rules: {
          throughputRule: { active: false }, bolaRule: { active: false }, insufficientBufferRule: { active: false },
          switchHistoryRule: { active: false }, droppedFramesRule: { active: false }, abandonRequestsRule: { active: false },
          l2ARule: { active: false }, loLPRule: { active: false }
        }
      },
      retryAttempts: { MediaSegment: 0 },
      // The simulator waits for a chunk however long the trace takes; dash.js aborts a segment after 20 s by default.
      fragmentRequestTimeout: 3600000,
      gaps: { jumpGaps: true }
    }
  });
  player.addABRCustomRule('qualitySwitchRules', 'NetLlmRule', NetLlmRule);

  player.on(dashjs.MediaPlayer.events.FRAGMENT_LOADING_STARTED, e => {
    const c = chunkOf(e.request && e.request.url);
    if (c && e.request.mediaType === 'video') started[c.index] = now();
  });
  player.on(dashjs.MediaPlayer.events.FRAGMENT_LOADING_COMPLETED, e => {
    const r = e.request;
    const c = chunkOf(r && r.url);
    if (!c || r.mediaType !== 'video') return;
    const end = now();
    const start = started[c.index] !== undefined ? started[c.index] : end;
    const bytes = (e.response && e.response.byteLength) || r.bytesLoaded || sizes[c.level][c.index];
    const previous = log.chunks.length ? log.chunks[log.chunks.length - 1].quality : firstQuality;
    if (log.chunks.length && previous !== c.level) log.switches.push({ at_ms: end, chunk: c.index, from: previous, to: c.level });
    // Buffer after the download as the simulator counts it: what is buffered ahead plus the chunk just loaded
    // (dash.js appends it right after this event).
    const bufferS = Math.max(0, player.getDashMetrics().getCurrentBufferLevel('video') || 0) + chunkSeconds;
    const rebufferMs = stallBetween(lastEnd, end);
    const entry = { index: c.index, quality: c.level, bytes: bytes, request_ms: start, end_ms: end,
                    download_ms: end - start, buffer_s: bufferS, rebuffer_ms: rebufferMs };
    log.chunks.push(entry);
    lastEnd = end;
    const remaining = totalChunks - 1 - c.index;
    status.textContent = 'chunk ' + (c.index + 1) + '/' + totalChunks + ' q' + c.level + ' buffer ' + bufferS.toFixed(1) + ' s';
    if (remaining <= 0) return;
    const next = [0, 1, 2, 3, 4, 5].map(l => sizes[l][c.index + 1] || 0);
    try {
      nextQuality = decide({ chunk_index: c.index, quality: c.level, chunk_bytes: bytes, download_ms: end - start,
                             buffer_s: bufferS, rebuffer_s: rebufferMs / 1000, next_chunk_bytes: next,
                             chunks_remaining: remaining });
    } catch (err) {
      fail(err.message || err);
      player.reset();
    }
  });
  player.on(dashjs.MediaPlayer.events.ERROR, e => {
    const err = e.error || e;
    fail('dash.js error ' + (err.code !== undefined ? err.code + ': ' : '') + String(err.message || err).slice(0, 300));
  });

  setInterval(() => {
    if (!log.done) log.buffer.push({ at_ms: now(), buffer_s: player.getDashMetrics().getCurrentBufferLevel('video') || 0 });
  }, 250);

  fetch('/media/sizes.json').then(r => r.json()).then(s => {
    sizes = s.sizes;
    totalChunks = s.chunks;
    if (!session) { fail('no session in the page address'); return; }
    player.initialize(video, mpd, true);
    // The first segment at `first` quality: the rule answers nextQuality, already set to it.
  }).catch(err => fail('sizes.json: ' + err));
})();
