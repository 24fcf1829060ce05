// Live preview of a stream's HTTP-FLV in a <video> with mpegts.js, loaded
// from the console's own vendor/ copy only when a preview is asked for (the
// build leaves it out when the npm module was not installed: no preview).
let loading = null;

function loadMpegts() {
  if (window.mpegts) return Promise.resolve(window.mpegts);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "vendor/mpegts.js";
    script.addEventListener("load", () => resolve(window.mpegts));
    script.addEventListener("error", () => {
      loading = null;
      reject(new Error("this build has no mpegts.js, so no live preview"));
    });
    document.head.append(script);
  });
  return loading;
}

export class Preview {
  constructor(video) {
    this.video = video;
    this.player = null;
  }

  // Resolves when playback was started; rejects with a readable reason.
  async play(url) {
    this.stop();
    const mpegts = await loadMpegts();
    if (!mpegts?.isSupported?.()) throw new Error("this browser has no Media Source Extensions");
    this.player = mpegts.createPlayer({type: "flv", isLive: true, url},
                                      {enableWorker: false, liveBufferLatencyChasing: true});
    this.player.attachMediaElement(this.video);
    this.player.load();
    await this.video.play().catch(() => {});
  }

  stop() {
    if (!this.player) return;
    this.player.pause();
    this.player.unload();
    this.player.detachMediaElement();
    this.player.destroy();
    this.player = null;
  }
}
