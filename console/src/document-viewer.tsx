// A document as the engine read it: each page drawn (from the API's page route) with the boxes of the
// extracted fields over it, labelled with the field and its confidence, beside a table of what was read.
import { useState } from 'preact/hooks';
import { fileUrl, useFileUrl } from './api.ts';
import { percent, words } from './format.ts';
import type { ClaimDocument, ExtractedField } from './types.ts';

const fieldColours: Record<string, string> = { total: '#b00020', date: '#0b57d0', issuer: '#146c2e' };

function fieldValue(field: ExtractedField): string {
  const v = field.value;
  if (typeof v === 'object') return `${v.currency ?? '(currency not printed)'} ${v.amount}`;
  return String(v);
}

function Page({ base, doc, page }: { base: string; doc: ClaimDocument; page: number }) {
  const frame = doc.pageFrames.find((f) => f.page === page);
  const { src, problem } = useFileUrl(`${base}/documents/${doc.id}/pages/${page}?width=900`);
  const boxes = Object.entries(doc.fields).filter(([, f]) => f && f.evidence.page === page) as [string, ExtractedField][];
  if (problem)
    return (
      <p class="problem">
        Page {page} cannot be shown: {problem}
      </p>
    );
  if (!src) return <p>Loading page {page}…</p>;
  const label = `Page ${page} of ${doc.fileName}${boxes.length ? `, with the boxes of ${boxes.map(([n]) => n).join(', ')}` : ''}`;
  return (
    <figure class="page">
      <div class="page-frame">
        <img src={src} alt={label} />
        {frame && (
          <svg
            viewBox={`0 0 ${frame.width} ${frame.height}`}
            preserveAspectRatio="none"
            aria-hidden="true"
            data-testid={`boxes-${doc.id}-${page}`}
          >
            {boxes.map(([name, f]) => (
              <g key={name} data-field={name}>
                <rect
                  x={f.evidence.box.x0}
                  y={f.evidence.box.y0}
                  width={Math.max(1, f.evidence.box.x1 - f.evidence.box.x0)}
                  height={Math.max(1, f.evidence.box.y1 - f.evidence.box.y0)}
                  fill="none"
                  stroke={fieldColours[name] ?? '#6b21a8'}
                  stroke-width={Math.max(2, frame.width / 300)}
                />
                <text
                  x={f.evidence.box.x0}
                  y={Math.max(frame.height / 60, f.evidence.box.y0 - frame.height / 200)}
                  font-size={frame.height / 60}
                  fill={fieldColours[name] ?? '#6b21a8'}
                >
                  {name} {percent(f.confidence)}
                </text>
              </g>
            ))}
          </svg>
        )}
      </div>
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/** `base` is the document's owner in the API: `/v1/claims/CLM-...` or `/v1/underwriting/applications/APP-...`. */
export function DocumentViewer({ base, doc }: { base: string; doc: ClaimDocument }) {
  const [originalUrl, setOriginalUrl] = useState<string | null>(null);
  const fields = Object.entries(doc.fields).filter(([, f]) => f) as [string, ExtractedField][];
  const pages = doc.pageFrames.map((f) => f.page);
  return (
    <article class="document" aria-labelledby={`doc-${doc.id}`}>
      <h3 id={`doc-${doc.id}`}>
        {doc.fileName} — {doc.kind ? words(doc.kind) : 'not classified'}
        {doc.kindConfidence !== null && ` (${percent(doc.kindConfidence)})`}
      </h3>
      <p>
        {words(doc.status)}
        {doc.statusReason && `: ${doc.statusReason}`}
        {doc.ocrConfidence !== null && ` · OCR confidence ${Math.round(doc.ocrConfidence)}%`} ·{' '}
        <button
          type="button"
          class="link"
          onClick={() =>
            void fileUrl(`${base}/documents/${doc.id}/file`).then((u) => {
              setOriginalUrl(u);
              window.open(u, '_blank', 'noopener');
            })
          }
        >
          Open the original file
        </button>
        {originalUrl && (
          <>
            {' '}
            (
            <a href={originalUrl} target="_blank" rel="noopener">
              opened
            </a>
            )
          </>
        )}
      </p>
      {fields.length > 0 && (
        <table class="fields">
          <caption>What the engine read</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Value</th>
              <th scope="col" class="num">
                Confidence
              </th>
              <th scope="col">Read from (page)</th>
            </tr>
          </thead>
          <tbody>
            {fields.map(([name, f]) => (
              <tr key={name} data-field-row={name}>
                <th scope="row">
                  <span class={`swatch swatch-${fieldColours[name] ? name : 'other'}`} aria-hidden="true" />
                  {words(name)}
                </th>
                <td>{fieldValue(f)}</td>
                <td class="num">{percent(f.confidence)}</td>
                <td>
                  “{f.evidence.text}” ({f.evidence.page})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages.map((p) => (
        <Page key={p} base={base} doc={doc} page={p} />
      ))}
    </article>
  );
}
