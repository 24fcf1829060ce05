// Live preview of a stream in a <video>: HTTP-FLV with mpegts.js or HLS with
// hls.js, each loaded from the console's own vendor/ copy only when a
// preview of its kind is asked for (the build leaves one out when its npm
// module was not installed: no preview of that kind).
const LIBRARIES = {
  flv: {src: "vendor/mpegts.js", global: "mpegts", name: "mpegts.js"},
  hls: {src: "vendor/hls.js", global: "Hls", name: "hls.js"},
};
const loading = {};

function loadLibrary(kind) {
  const lib = LIBRARIES[kind];
  if (window[lib.global]) return Promise.resolve(window[lib.global]);
  loading[kind] ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = lib.src;
    script.addEventListener("load", () => resolve(window[lib.global]));
    script.addEventListener("error", () => {
      loading[kind] = null;
      reject(new Error(`this build has no ${lib.name}, so no ${kind.toUpperCase()} preview`));
    });
    document.head.append(script);
  });
  return loading[kind];
}

export class Preview {
  constructor(video) {
    this.video = video;
    this.player = null;
    this.stopPlayer = null;
  }

  // kind: "flv" or "hls". Resolves when playback was started; rejects with a
  // readable reason.
  async play(url, kind = "flv") {
    this.stop();
    if (kind === "hls") await this.playHls(url);
    else await this.playFlv(url);
    await this.video.play().catch(() => {});
  }

  async playFlv(url) {
    const mpegts = await loadLibrary("flv");
    if (!mpegts?.isSupported?.()) throw new Error("this browser has no Media Source Extensions");
    const player = mpegts.createPlayer({type: "flv", isLive: true, url},
                                       {enableWorker: false, liveBufferLatencyChasing: true});
    player.attachMediaElement(this.video);
    player.load();
    this.stopPlayer = () => {
      player.pause();
      player.unload();
      player.detachMediaElement();
      player.destroy();
    };
  }

  async playHls(url) {
    const Hls = await loadLibrary("hls");
    if (!Hls?.isSupported?.()) throw new Error("this browser has no Media Source Extensions");
    // No worker: the page's policy allows none from a blob it did not make.
    const player = new Hls({enableWorker: false, lowLatencyMode: false});
    player.loadSource(url);
    player.attachMedia(this.video);
    this.stopPlayer = () => {
      player.stopLoad();
      player.detachMedia();
      player.destroy();
    };
  }

  stop() {
    if (!this.stopPlayer) return;
    this.stopPlayer();
    this.stopPlayer = null;
  }
}
