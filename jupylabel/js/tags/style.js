// <Style>: a config's CSS. Never applied (config/tags/style.py says why): the tag draws nothing.
export function Style() {
  return { el: null };
}
