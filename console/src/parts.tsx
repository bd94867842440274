// Pieces every page uses the same way, so they look, read aloud and take the keyboard the same way: a
// choice of one (radio buttons in a fieldset), a reason-code list, a select of documented reasons, and a
// problem announced to screen readers.
import type { ComponentChildren } from 'preact';
import type { Reason } from './types.ts';

export function Choices<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  options: readonly (readonly [T, string])[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.map(([option, label]) => (
        <label key={option} class="choice">
          <input type="radio" name={name} value={option} checked={value === option} onChange={() => onChange(option)} /> {label}
        </label>
      ))}
    </fieldset>
  );
}

/** Reasons as codes with their words: the code for those who search for it, the words for everyone. */
export function ReasonList({ reasons }: { reasons: readonly Reason[] }) {
  return (
    <ul class="reasons">
      {reasons.map((r) => (
        <li key={r.code}>
          <code>{r.code}</code> {r.message}
        </li>
      ))}
    </ul>
  );
}

/** A required choice among documented reasons (deny, decline), as the API lists them. */
export function ReasonSelect({
  id,
  reasons,
  value,
  onChange,
}: {
  id: string;
  reasons: readonly Reason[];
  value: string;
  onChange: (code: string) => void;
}) {
  return (
    <p>
      <label for={id}>Reason</label>
      <select id={id} name="reasonCode" required value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">Choose a reason…</option>
        {reasons.map((r) => (
          <option key={r.code} value={r.code}>
            {r.code}: {r.message}
          </option>
        ))}
      </select>
    </p>
  );
}

export function Problem({ id, children }: { id?: string; children: ComponentChildren }) {
  return (
    <p id={id} role="alert" class="problem">
      {children}
    </p>
  );
}
