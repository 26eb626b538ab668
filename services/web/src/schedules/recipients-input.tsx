// Addresses as chips (recipients, failure contacts): type an address and press Enter or comma; each chip is
// checked and can be removed; a recipient who unsubscribed is marked.
import { useState, type KeyboardEvent } from 'react';

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
export const isEmail = (s: string) => EMAIL.test(s);

type Props = {
  id: string;
  value: string[];
  onChange: (v: string[]) => void;
  error?: string;
  chipErrors?: Record<number, string>;
  /** The list's accessible name. */
  label?: string;
  /** Lower-cased addresses that unsubscribed: their chip says so (they get nothing). */
  unsubscribed?: string[];
};

export function RecipientsInput({
  id,
  value,
  onChange,
  error,
  chipErrors = {},
  label = 'Recipients',
  unsubscribed = [],
}: Props) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const parts = draft
      .split(/[,\s;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    if (!parts.length) return;
    onChange([...value, ...parts.filter((p) => !value.some((v) => v.toLowerCase() === p.toLowerCase()))]);
    setDraft('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add();
    } else if (e.key === 'Backspace' && !draft && value.length) onChange(value.slice(0, -1));
  };
  return (
    <div className={`chips${error ? ' invalid' : ''}`}>
      <ul aria-label={label}>
        {value.map((r, i) => {
          const bad = chipErrors[i] ?? (isEmail(r) ? undefined : 'Not an e-mail address.');
          const left = unsubscribed.includes(r.toLowerCase());
          return (
            <li
              key={r}
              className={`chip${bad ? ' bad' : ''}${left ? ' unsubscribed' : ''}`}
              data-recipient={r}
              data-unsubscribed={left || undefined}
            >
              <span>{r}</span>
              {left && !bad && <span className="chip-note">unsubscribed</span>}
              {bad && <span className="chip-error">{bad}</span>}
              <button type="button" aria-label={`Remove ${r}`} onClick={() => onChange(value.filter((v) => v !== r))}>
                ×
              </button>
            </li>
          );
        })}
      </ul>
      <input
        id={id}
        type="email"
        value={draft}
        placeholder="name@example.com, then Enter"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-hint`}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKey}
        onBlur={add}
      />
    </div>
  );
}
