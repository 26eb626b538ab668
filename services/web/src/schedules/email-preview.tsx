// The e-mail the recipients will get, rendered by the API from the real template (example figures).
import { useMutation } from '@tanstack/react-query';
import { api, describeFailure, unwrap, type Schemas } from '../api/client';
import { Banner } from '../ui/field';

export function EmailPreview({ draft }: { draft: Schemas['EmailPreviewRequest'] }) {
  const preview = useMutation({
    mutationFn: async () => unwrap(await api.POST('/v1/schedules/preview-email', { body: draft })),
  });
  return (
    <div className="preview">
      <button type="button" className="secondary" onClick={() => preview.mutate()} disabled={preview.isPending}>
        {preview.data ? 'Refresh the e-mail preview' : 'Preview the e-mail'}
      </button>
      {preview.isError && <Banner>{describeFailure(preview.error)}</Banner>}
      {preview.data && (
        <section aria-label="E-mail preview" data-testid="email-preview" className="mail">
          <p className="hint">
            For {preview.data.period_start} → {preview.data.period_end}, with example figures: the real e-mail gives the
            file&apos;s own.
          </p>
          <p>
            <strong>Subject:</strong> <span data-testid="email-subject">{preview.data.subject}</span>
          </p>
          <iframe title="E-mail preview (HTML)" sandbox="" srcDoc={preview.data.html} />
          <details>
            <summary>Plain-text version</summary>
            <pre>{preview.data.text}</pre>
          </details>
        </section>
      )}
    </div>
  );
}
