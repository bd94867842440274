// A recording the API serves (a caller's answer, an applicant's interview), played from a blob URL: the
// audio is fetched with the signed-in key, which an <audio src> to the API could not send.
import { useFileUrl } from './api.ts';

export function AudioPlayer({ path, label }: { path: string; label: string }) {
  const { src, problem } = useFileUrl(path);
  if (problem)
    return (
      <span class="problem">
        {label} cannot be played: {problem}
      </span>
    );
  if (!src) return <span>Loading {label.toLowerCase()}…</span>;
  return <audio controls preload="metadata" src={src} aria-label={label} data-testid="recording" />;
}
