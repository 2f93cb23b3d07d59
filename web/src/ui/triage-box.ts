import type { Static } from '@sinclair/typebox';
import type { TriageResponse } from '../../../services/api/schemas/incidents.js';
import { fetchJson } from '../data/map-api.js';
import { apiFetch, currentCaller } from '../session/session.js';
import type { Lang } from '../state/app-state.js';
import { h } from './dom.js';
import { localTime } from './time-format.js';

type Triage = Static<typeof TriageResponse>;

const STATUSES = ['new', 'confirmed', 'false_positive', 'needs_data', 'closed'] as const;
const NAMES: Record<(typeof STATUSES)[number], { en: string; zh: string }> = {
  new: { en: 'new', zh: '新' },
  confirmed: { en: 'confirmed', zh: '已确认' },
  false_positive: { en: 'false positive', zh: '误报' },
  needs_data: { en: 'needs data', zh: '需要数据' },
  closed: { en: 'closed', zh: '已关闭' },
};
const T = {
  en: {
    triage: 'Triage',
    owner: 'owner',
    note: 'note',
    save: 'Save',
    saved: 'saved',
    bj: 'Beijing time',
    readOnly: 'read only',
  },
  zh: {
    triage: '研判',
    owner: '负责人',
    note: '备注',
    save: '保存',
    saved: '已保存',
    bj: '北京时间',
    readOnly: '只读',
  },
};

/** The incident's triage in its panel: status, owner and a note, saved with `PATCH /api/incidents/:id`; the history below. */
export async function renderTriage(root: HTMLElement, id: string, lang: Lang): Promise<void> {
  const t = T[lang];
  let triage: Triage;
  let canEdit: boolean;
  try {
    [triage, canEdit] = await Promise.all([
      fetchJson<Triage>(`/api/incidents/${encodeURIComponent(id)}/triage`),
      // a regulator reads the triage but may not change it (PATCH is 403): no form
      currentCaller().then((c) => c.role === 'admin' || c.role === 'engineer'),
    ]);
  } catch (e) {
    root.replaceChildren(h('p', { class: 'error' }, e instanceof Error ? e.message : String(e)));
    return;
  }
  const status = h(
    'select',
    { name: 'triage-status' },
    ...STATUSES.map((s) => h('option', { value: s, selected: triage.status === s }, NAMES[s][lang])),
  );
  const owner = h('input', { name: 'triage-owner', placeholder: t.owner, value: triage.owner ?? '' });
  const note = h('textarea', { name: 'triage-note', placeholder: t.note, rows: 2 });
  const message = h('span', { class: 'note', 'data-testid': 'triage-message' });
  const save = async () => {
    const body: Record<string, string> = {};
    if (status.value !== triage.status) body.status = status.value;
    if (owner.value !== (triage.owner ?? '')) body.owner = owner.value;
    if (note.value.trim()) body.note = note.value.trim();
    if (!Object.keys(body).length) return;
    const res = await apiFetch(`/api/incidents/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) {
      message.textContent = `${res.status}: ${((await res.json()) as { error?: { message?: string } }).error?.message ?? ''}`;
      return;
    }
    await renderTriage(root, id, lang);
    root.querySelector('[data-testid=triage-message]')?.append(t.saved);
  };
  root.replaceChildren(
    h('h3', {}, t.triage),
    ...(canEdit
      ? [
          h('div', { class: 'triage-form' }, status, owner),
          note,
          h(
            'div',
            {},
            h('button', { type: 'button', 'data-control': 'triage-save', onclick: () => void save() }, t.save),
            message,
          ),
        ]
      : [
          h(
            'p',
            { 'data-testid': 'triage-status' },
            NAMES[triage.status][lang],
            h('span', { class: 'note' }, ` · ${t.readOnly}`),
          ),
        ]),
    h(
      'ul',
      { class: 'triage-history' },
      ...triage.history.map((e) =>
        h(
          'li',
          {},
          h('span', { class: 'note' }, `${localTime(Date.parse(e.at), lang)} (${t.bj}) · ${e.author}`),
          e.status ? ` → ${NAMES[e.status][lang]}` : '',
          e.owner ? ` · ${t.owner}: ${e.owner}` : '',
          e.note ? h('div', {}, e.note) : null,
        ),
      ),
    ),
  );
}
