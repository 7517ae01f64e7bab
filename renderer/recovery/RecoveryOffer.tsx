/** The banner that offers back the document an earlier session left unsaved. */
import { useStore } from 'zustand';
import { useServices } from '../app/EditorContext.tsx';
import type { Recovery } from './recovery.ts';

function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function Offer({ recovery }: { recovery: Recovery }) {
  const offer = useStore(recovery.store, (s) => s.offer);
  if (!offer) return null;
  return (
    <div className="sf-banner is-info" data-testid="recovery-offer" role="alert">
      <strong>Restore unsaved work?</strong>
      <p className="sf-banner-text sf-muted">
        “{offer.name}”{offer.file.fileName ? ` (${offer.file.fileName})` : ''} had changes that were not saved when Spikeflow last closed ({when(offer.savedAt)}).
      </p>
      <div className="sf-banner-actions">
        <button type="button" className="sf-btn is-primary" data-testid="recovery-restore" onClick={() => void recovery.restore()}>
          Restore
        </button>{' '}
        <button type="button" className="sf-btn" data-testid="recovery-discard" onClick={() => void recovery.discard()}>
          Discard
        </button>
      </div>
    </div>
  );
}

export function RecoveryOffer() {
  const { recovery } = useServices();
  return recovery ? <Offer recovery={recovery} /> : null;
}
