// The entry form's state: a draft of one entry, its errors, and saving it through the background.
import { t } from '../i18n';
import type { Entry, EntryFields, EntryWrite, SavedEntry } from '../model/entry';
import type { Ask } from './ask';
import { draftFromFields, fieldsFromDraft, sameDraft, validateDraft, type DraftErrors, type EntryDraft } from './entry-form';

export class EntryEditor {
  draft = $state<EntryDraft>(draftFromFields());
  errors = $state<DraftErrors>({});
  /** A problem with the whole save (conflict, locked, background unreachable). */
  formError = $state('');
  saving = $state(false);
  /**
   * Another device changed (or deleted) this entry while the form is open. What is typed stays; a
   * save then merges it with that change (vault.save with the fields the form started from).
   */
  changedElsewhere = $state<'changed' | 'deleted' | null>(null);
  readonly id: string | undefined;
  /** Opened to change the password (health view): the generator shows at once. */
  readonly generate: boolean;
  /** The host of the site opened in a tab to change the password there, if one was. */
  readonly siteOpened: string | undefined;
  /** The entry being changed and the revision it was opened at: every update sends both. */
  readonly #base: { id: string; baseRevision: number } | undefined;
  readonly #original: EntryDraft;
  /** The fields as the form started, in the form's own normal form: unchanged fields read as unchanged. */
  readonly #baseFields: EntryFields | undefined;
  readonly #ask: Ask;

  /** `title` starts a new entry with that title (the search that matched nothing); it is not a change to discard. */
  constructor(ask: Ask, entry?: Entry, change: { generate?: boolean; siteOpened?: string; title?: string } = {}) {
    this.#ask = ask;
    this.generate = change.generate ?? false;
    this.siteOpened = change.siteOpened;
    this.id = entry?.id;
    this.#base = entry ? { id: entry.id, baseRevision: entry.revision } : undefined;
    this.draft = draftFromFields(entry);
    this.#original = draftFromFields(entry);
    this.#baseFields = entry ? fieldsFromDraft(this.#original) : undefined;
    if (!entry && change.title) this.draft.title = this.#original.title = change.title;
  }

  get dirty(): boolean {
    return !sameDraft($state.snapshot(this.draft), this.#original);
  }

  addUrl(): void {
    this.draft.urls.push('');
  }

  removeUrl(index: number): void {
    this.draft.urls.splice(index, 1);
    if (this.draft.urls.length === 0) this.draft.urls.push('');
  }

  /** Sync brought a change that may be to this entry: asks for it, and says so when it moved on. */
  async checkChangedElsewhere(): Promise<void> {
    if (!this.#base || this.saving) return;
    const reply = await this.#ask('vault.get', { id: this.#base.id });
    if (reply.ok) {
      if (reply.value.revision !== this.#base.baseRevision) this.changedElsewhere = 'changed';
    } else if (reply.code === 'NOT_FOUND') {
      this.changedElsewhere = 'deleted';
    }
  }

  /** Validates, then saves; returns the new summary, or undefined with errors set and nothing changed. */
  async save(): Promise<SavedEntry | undefined> {
    const draft = $state.snapshot(this.draft);
    this.errors = validateDraft(draft);
    this.formError = '';
    if (Object.keys(this.errors).length) {
      this.formError = t('entryNotSaved');
      return undefined;
    }
    this.saving = true;
    try {
      const fields = fieldsFromDraft(draft);
      // Deleted for good elsewhere: what was typed is kept as a new entry rather than lost.
      const update = this.#base && this.changedElsewhere !== 'deleted';
      const write: EntryWrite = update ? { ...this.#base!, fields, baseFields: this.#baseFields } : { fields };
      const reply = await this.#ask('vault.save', write);
      if (reply.ok) return reply.value;
      this.formError = t('entryNotSavedBecause', reply.message);
      return undefined;
    } finally {
      this.saving = false;
    }
  }
}
