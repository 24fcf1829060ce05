// A stream's push and play URLs: signed by the server (GeneratePushURL,
// GeneratePlayURL, with the vhost's own keys), or, when the server gives
// none, plain ones built here with the reason. No DOM: tested under Node
// (tests/console/urls.test.mjs).
const DEFAULT_VHOST = "__defaultVhost__";

// server: server.json ({rtmp_port, media_port, hls}); host: the page's host name.
export function plainUrls(stream, server, host) {
  const path = `${encodeURIComponent(stream.App)}/${encodeURIComponent(stream.Stream)}`;
  const vhost = stream.Vhost && stream.Vhost !== DEFAULT_VHOST ? `?vhost=${encodeURIComponent(stream.Vhost)}` : "";
  const {rtmp_port: rtmp, media_port: media, hls} = server;
  return {
    push: `rtmp://${host}:${rtmp}/${path}${vhost}`,
    rtmp: `rtmp://${host}:${rtmp}/${path}${vhost}`,
    flv: `http://${host}:${media}/${path}.flv${vhost}`,
    hls: hls ? `http://${host}:${media}/${path}.m3u8${vhost}` : null,
  };
}

// client: an ApiClient. Never rejects: a failure gives the plain URLs, and
// `note` says which kind the caller got and why.
export async function serverUrls(client, stream, server, host, describeError = String) {
  const target = {Vhost: stream.Vhost, App: stream.App, Stream: stream.Stream};
  try {
    const [push, play] = await Promise.all([client.call("GeneratePushURL", target, "POST"),
                                            client.call("GeneratePlayURL", target, "POST")]);
    const pushUrl = push.PushURLList?.[0];
    if (!pushUrl) throw new Error("the answer had no PushURLList");
    const detail = push.PushURLListDetail?.[0] ?? {};
    const byProtocol = Object.fromEntries((play.URLList || []).map((u) => [u.Protocol, u.URL]));
    const expiry = /[?&]volcTime=(\d+)/.exec(pushUrl)?.[1];
    return {push: pushUrl, obsServer: detail.DomainApp, obsKey: detail.StreamSign,
            rtmp: byProtocol.rtmp, flv: byProtocol.flv, hls: byProtocol.hls ?? null,
            signed: Boolean(expiry),
            note: expiry ? `Signed URLs, valid until ${new Date(Number(expiry) * 1000).toLocaleString()}`
                         : "URLs from the server (this vhost has no keys, so they are not signed)"};
  } catch (error) {
    return {...plainUrls(stream, server, host), signed: false,
            note: `Unsigned URLs (the server gave none: ${describeError(error)})`};
  }
}
