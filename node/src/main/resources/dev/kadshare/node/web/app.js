// kadshare's web page. It asks for the API token once (kept in sessionStorage), sends it as a bearer header on
// every request, loads GET /v1/status and /v1/peers, and keeps them current from GET /v1/events, read with fetch
// (EventSource cannot send the header) and resumed with Last-Event-ID. Whatever came from outside (names, paths,
// reasons, addresses) is set as text, never parsed as HTML.

const TOKEN_KEY = 'kadshare.token';
/** The node's own figures (routing table, reachability) are in no event: they are read again this often. */
const REFRESH_MS = 30_000;
const $ = (id) => document.getElementById(id);

class Unauthorized extends Error {}

async function errorOf(response) {
  try {
    return (await response.json()).error || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/** The control API, as the holder of the token. */
class Api {
  constructor(token) {
    this.token = token;
  }

  headers(extra) {
    return { Authorization: `Bearer ${this.token}`, ...extra };
  }

  async request(method, path, body) {
    const response = await fetch(path, {
      method,
      cache: 'no-store',
      headers: this.headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) throw new Unauthorized(await errorOf(response));
    if (!response.ok) throw new Error(await errorOf(response));
    return response.json();
  }

  get(path) { return this.request('GET', path); }
  post(path, body = {}) { return this.request('POST', path, body); }
  delete(path) { return this.request('DELETE', path); }
}

/** GET /v1/events as Server-Sent Events over fetch; reconnects after `retry` with the last id it saw. */
class EventStream {
  constructor(api, handlers) {
    this.api = api;
    this.handlers = handlers; // onOpen(first), onEvent(type, data), onLive(bool), onUnauthorized(error), onFailure(error)
    this.lastId = null;
    this.retryMs = 1000;
    this.stopped = false;
    this.opened = false;
  }

  async run() {
    while (!this.stopped) {
      try {
        await this.once();
      } catch (error) {
        if (this.stopped) return;
        if (error instanceof Unauthorized) {
          this.handlers.onUnauthorized(error);
          return;
        }
        this.handlers.onFailure(error);
      }
      if (this.stopped) return;
      this.handlers.onLive(false);
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
  }

  stop() {
    this.stopped = true;
    this.controller?.abort();
  }

  async once() {
    this.controller = new AbortController();
    const extra = { Accept: 'text/event-stream' };
    if (this.lastId !== null) extra['Last-Event-ID'] = this.lastId;
    const response = await fetch('/v1/events', { headers: this.api.headers(extra), signal: this.controller.signal, cache: 'no-store' });
    if (response.status === 401) throw new Unauthorized(await errorOf(response));
    if (!response.ok) throw new Error(await errorOf(response));
    // From here on nothing is missed (the daemon says so once the headers are out): load what is, then apply.
    await this.handlers.onOpen(!this.opened); // if it fails, the next connection tries again
    this.opened = true;
    this.handlers.onLive(true);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    this.pending = { id: null, type: '', data: [] };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        this.line(buffer.slice(0, end).replace(/\r$/, ''));
        buffer = buffer.slice(end + 1);
      }
    }
  }

  /** One line of the text/event-stream format. */
  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return; // a heartbeat
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') this.pending.id = value;
    else if (field === 'event') this.pending.type = value;
    else if (field === 'data') this.pending.data.push(value);
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }

  dispatch() {
    const { id, type, data } = this.pending;
    this.pending = { id: null, type: '', data: [] };
    if (id !== null) this.lastId = id;
    if (data.length === 0) return;
    let parsed;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch {
      return; // not ours to show
    }
    this.handlers.onEvent(type || 'message', parsed);
  }
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function bytes(n) {
  if (typeof n !== 'number' || n < 0) return '–';
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

function rate(n) {
  return typeof n === 'number' ? `${bytes(n)}/s` : '–';
}

function duration(seconds) {
  if (typeof seconds !== 'number') return '–';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

function shortId(id) {
  return typeof id === 'string' ? id.slice(0, 12) : '?';
}

/** Reachability as status gives it: text as is, an object as its fields, absent as such. */
/** Status's reachability: "PORT_PRESERVING, 198.51.100.1:7700 (3 observers)". */
function reachability(value) {
  if (value === undefined || value === null) return 'not reported';
  const mapping = String(value.mapping || 'UNKNOWN').toLowerCase().replace('_', '-');
  const seen = value.externalAddress ? `, ${value.externalAddress}` : '';
  return `${mapping}${seen} (${value.observers || 0} observers)`;
}

function livePeers(peers) {
  return (peers || []).filter((p) => !p.dropped).length;
}

/** One row of a list, cloned from a template: its fields and buttons found by data-f and data-a. */
class Row {
  constructor(template, id) {
    this.root = template.content.firstElementChild.cloneNode(true);
    this.root.dataset.id = id;
    this.fields = {};
    for (const el of this.root.querySelectorAll('[data-f]')) this.fields[el.dataset.f] = el;
    this.buttons = {};
    for (const el of this.root.querySelectorAll('[data-a]')) this.buttons[el.dataset.a] = el;
  }

  text(field, value) {
    const el = this.fields[field];
    if (el.textContent !== value) el.textContent = value;
  }

  show(button, visible) {
    this.buttons[button].hidden = !visible;
  }
}

/** A transfer's or share's row, filled from its status. */
function renderTransfer(row, t) {
  row.root.dataset.state = t.state;
  row.text('name', t.name);
  row.text('state', t.state);
  row.fields.state.className = `state ${t.state}`;
  row.text('reason', t.error || t.reason || (t.path ? `saved as ${t.path}` : ''));
  const done = t.chunksTotal > 0 ? t.chunksVerified / t.chunksTotal : (t.state === 'COMPLETE' ? 1 : 0);
  row.fields.bar.value = done;
  row.text('percent', `${Math.floor(done * 100)} %`);
  row.text('size', bytes(t.size));
  row.text('down', rate(t.downloadRate));
  row.text('up', rate(t.uploadRate));
  row.text('eta', duration(t.etaSeconds));
  row.text('peers', String(livePeers(t.peers)));
  row.show('pause', t.state === 'SEARCHING' || t.state === 'DOWNLOADING');
  row.show('resume', t.state === 'PAUSED' || t.state === 'FAILED');
}

function renderShare(row, s, peers) {
  row.root.dataset.state = 'SHARING';
  row.text('name', s.name);
  row.text('state', 'SHARING');
  row.fields.state.className = 'state SHARING';
  row.text('reason', s.path || '');
  row.fields.bar.value = 1;
  row.text('percent', '100 %');
  row.text('size', bytes(s.size));
  row.text('down', '–');
  row.text('up', `${rate(s.uploadRate)} (${bytes(s.bytesUploaded)} sent)`);
  row.text('eta', '–');
  row.text('peers', String(livePeers(peers)));
  row.show('pause', false);
  row.show('resume', false);
}

/** Transfers or shares by content id, each with its row, shown in one list; redrawn once per frame at most. */
class Collection {
  constructor(list, count, empty, render) {
    this.list = list;
    this.count = count;
    this.empty = empty;
    this.render = render; // (row, entry) => void
    this.entries = new Map(); // id -> { data, row, peers }
    this.dirty = new Set();
    this.frame = 0;
  }

  upsert(id, data) {
    let entry = this.entries.get(id);
    if (!entry) {
      entry = { data, row: new Row($('item'), id), peers: new Map() };
      this.entries.set(id, entry);
      this.list.prepend(entry.row.root);
      this.counted();
    }
    entry.data = data;
    this.touch(id);
    return entry;
  }

  remove(id) {
    const entry = this.entries.get(id);
    if (!entry) return;
    entry.row.root.remove();
    this.entries.delete(id);
    this.dirty.delete(id);
    this.counted();
  }

  /**
   * Makes the list hold `items`: rows of those gone are removed, new ones added on top (in the order given), and
   * the rows still there updated in place, so the keyboard's focus stays where it was. `prepare(entry)` first.
   */
  replace(items, idOf, prepare = () => {}) {
    const keep = new Set(items.map(idOf));
    for (const id of [...this.entries.keys()]) if (!keep.has(id)) this.remove(id);
    const fresh = document.createDocumentFragment();
    for (const item of items) {
      const id = idOf(item);
      let entry = this.entries.get(id);
      if (!entry) {
        entry = { row: new Row($('item'), id), peers: new Map() };
        this.entries.set(id, entry);
        fresh.append(entry.row.root);
      }
      entry.data = item;
      prepare(entry);
      this.render(entry.row, entry);
    }
    this.list.prepend(fresh);
    this.dirty.clear();
    this.counted();
  }

  touch(id) {
    this.dirty.add(id);
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => this.flush());
    }
  }

  flush() {
    this.frame = 0;
    for (const id of this.dirty) {
      const entry = this.entries.get(id);
      if (entry) this.render(entry.row, entry);
    }
    this.dirty.clear();
    detail.refresh();
  }

  counted() {
    this.count.textContent = this.entries.size ? `(${this.entries.size})` : '';
    this.empty.hidden = this.entries.size > 0;
  }
}

const transfers = new Collection($('transfers'), $('transfer-count'), $('no-transfers'),
  (row, entry) => renderTransfer(row, entry.data));
const shares = new Collection($('shares'), $('share-count'), $('no-shares'),
  (row, entry) => renderShare(row, entry.data, [...entry.peers.values()]));

function peerKey(peer) {
  return peer.nodeId || peer.address;
}

/** The dialog with one transfer's or share's facts and peers, kept current while open. */
const detail = {
  open: null, // { collection, id }

  show(collection, id) {
    this.open = { collection, id };
    this.refresh();
    $('detail').showModal();
  },

  refresh() {
    if (!this.open) return;
    const entry = this.open.collection.entries.get(this.open.id);
    if (!entry) {
      $('detail-name').textContent = 'Removed';
      return;
    }
    const d = entry.data;
    const isTransfer = this.open.collection === transfers;
    $('detail-name').textContent = d.name;
    const facts = [['content id', d.contentId], ['size', bytes(d.size)]];
    if (isTransfer) {
      facts.push(['state', d.state], ['why', d.error || d.reason || '–'],
        ['chunks', `${d.chunksVerified} of ${d.chunksTotal}`], ['downloaded', bytes(d.bytesDownloaded)],
        ['uploaded', bytes(d.bytesUploaded)], ['into', d.path || d.outDir || '–'],
        ['last lookup', d.lastLookup ? `${d.lastLookup.hops} hops, ${d.lastLookup.rpcs} RPCs, ${d.lastLookup.peersFound} peers found` : '–']);
    } else {
      facts.push(['path', d.path || '–'], ['uploaded', bytes(d.bytesUploaded)], ['link', d.link || '–']);
    }
    const list = $('detail-facts');
    list.replaceChildren(...facts.flatMap(([name, value]) => [element('dt', name), element('dd', String(value))]));
    const peers = isTransfer ? d.peers || [] : [...entry.peers.values()];
    $('detail-no-peers').hidden = peers.length > 0;
    $('detail-peers').hidden = peers.length === 0;
    $('detail-peers').tBodies[0].replaceChildren(...peers.map((p) => {
      const tr = element('tr');
      if (p.dropped) tr.className = 'dropped';
      const id = element('td', p.nodeId ? shortId(p.nodeId) : '?');
      id.className = 'id';
      if (p.nodeId) id.title = p.nodeId;
      tr.append(element('td', p.address), id, element('td', bytes(p.bytesDownloaded)),
        element('td', bytes(p.bytesUploaded)), element('td', String(p.badChunks)));
      return tr;
    }));
  },
};

function element(tag, text) {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  return el;
}

function message(text, isError = false) {
  const el = $('message');
  el.textContent = text;
  el.className = isError ? 'message error' : 'message';
}

/** The signed-in page: one API, one event stream. */
class Session {
  constructor(token) {
    this.api = new Api(token);
    this.stream = new EventStream(this.api, {
      onOpen: (first) => (first ? this.load(true) : undefined),
      onEvent: (type, data) => this.apply(type, data),
      onLive: (live) => {
        $('node-live').textContent = live ? 'live' : 'reconnecting';
        $('node-live').className = live ? 'live' : 'down';
      },
      onUnauthorized: (error) => signOut(this.stream.opened ? error.message : 'wrong token: ' + error.message),
      onFailure: (error) => {
        if (!this.stream.opened) $('sign-in-error').textContent = `cannot reach the daemon (${error.message}); retrying`;
      },
    });
  }

  start() {
    this.stream.run();
    this.timer = setInterval(() => this.load(false).catch((e) => message(e.message, true)), REFRESH_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.stream.stop();
  }

  /** Reads everything afresh: after signing in, when events were missed, and now and then for the node's figures. */
  async load(first) {
    const [status, peers] = await Promise.all([this.api.get('/v1/status'), this.api.get('/v1/peers')]);
    if (first) performance.mark('kadshare-fetched');
    $('node-id').textContent = shortId(status.nodeId);
    $('node-id').title = status.nodeId;
    $('node-routing').textContent = `${status.routingTableSize} contacts`;
    $('node-reachability').textContent = reachability(status.reachability);
    transfers.replace(status.transfers, (t) => t.contentId);
    const sharePeers = new Map(peers.shares.map((s) => [s.contentId, s.peers]));
    shares.replace(status.shares, (s) => s.contentId, (entry) => {
      entry.peers = new Map((sharePeers.get(entry.data.contentId) || []).map((p) => [peerKey(p), p]));
    });
    detail.refresh();
    if (first) {
      performance.mark('kadshare-built');
      showApp();
      // How long the page took to show everything, painted (read by the page-load harness).
      requestAnimationFrame(() => setTimeout(() => performance.mark('kadshare-rendered')));
    }
  }

  apply(type, data) {
    switch (type) {
      case 'transfer-added':
      case 'transfer-state':
      case 'transfer-progress':
        transfers.upsert(data.transfer.contentId, data.transfer);
        break;
      case 'transfer-removed':
        transfers.remove(data.contentId);
        break;
      case 'share-added':
        shares.upsert(data.share.contentId, data.share);
        break;
      case 'share-removed':
        shares.remove(data.contentId);
        break;
      case 'peer-joined':
      case 'peer-left': {
        const entry = shares.entries.get(data.contentId);
        if (!entry) break;
        if (type === 'peer-joined') entry.peers.set(peerKey(data.peer), data.peer);
        else entry.peers.delete(peerKey(data.peer));
        shares.touch(data.contentId);
        break;
      }
      case 'missed':
        this.load(false).catch((e) => message(e.message, true));
        break;
      default:
        break; // an event this page does not know yet
    }
  }

  /** Runs one user action; its failure is shown, a lost token signs out. */
  async act(what, button) {
    if (button) button.disabled = true;
    try {
      await what();
    } catch (error) {
      if (error instanceof Unauthorized) signOut(error.message);
      else message(error.message, true);
    } finally {
      if (button) button.disabled = false;
    }
  }
}

let session = null;

function showApp() {
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('node').hidden = false;
  $('sign-out').hidden = false;
}

function signIn(token) {
  session?.stop();
  $('sign-in-error').textContent = '';
  sessionStorage.setItem(TOKEN_KEY, token);
  session = new Session(token);
  session.start();
}

function signOut(why = '') {
  session?.stop();
  session = null;
  sessionStorage.removeItem(TOKEN_KEY);
  transfers.replace([], (t) => t.contentId);
  shares.replace([], (s) => s.contentId);
  $('app').hidden = true;
  $('node').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = why;
  $('token').value = '';
  $('token').focus();
}

function idPath(id) {
  return encodeURIComponent(id);
}

/** The buttons of the transfers' and shares' rows, one listener per list. */
function onRowAction(collection) {
  return (event) => {
    const button = event.target.closest('button[data-a]');
    const row = button?.closest('li[data-id]');
    if (!button || !row || !session) return;
    const id = row.dataset.id;
    const entry = collection.entries.get(id);
    const name = entry ? entry.data.name : id;
    const action = button.dataset.a;
    if (action === 'detail') {
      detail.show(collection, id);
      return;
    }
    if (action === 'remove-data' && !confirm(`Remove "${name}" and delete its downloaded data?`)) return;
    session.act(async () => {
      if (action === 'pause' || action === 'resume') {
        const t = await session.api.post(`/v1/transfers/${idPath(id)}/${action}`);
        transfers.upsert(t.contentId, t);
      } else {
        const query = action === 'remove-data' ? '?deleteData=true' : '';
        const removed = await session.api.delete(`/v1/content/${idPath(id)}${query}`);
        transfers.remove(removed.removed);
        shares.remove(removed.removed);
        message(`removed ${name}` + (removed.dataDeleted ? ', data deleted' : '')
          + (removed.originalKept ? `; the original stays at ${removed.originalKept}` : ''));
      }
    }, button);
  };
}

function formValue(form, name) {
  return form.elements[name].value.trim();
}

function onSubmit(id, action) {
  $(id).addEventListener('submit', (event) => {
    event.preventDefault();
    if (session) session.act(() => action(event.target), event.target.querySelector('button[type=submit]'));
  });
}

function showResults(answer) {
  const list = $('results');
  $('search-results').hidden = false;
  $('results-title').textContent = `Results for "${answer.query}" (${answer.results.length})`;
  list.replaceChildren(...answer.results.map((r) => {
    const row = new Row($('result'), r.contentId);
    row.text('name', r.name);
    row.text('size', bytes(r.size));
    const files = r.files && r.files.length ? ` · files: ${r.files.join(', ')}` : '';
    row.text('about', `${r.peers ?? '?'} peer(s) · matched ${r.matched.join(', ')}${files}`);
    row.buttons.get.addEventListener('click', () => session.act(async () => {
      const t = await session.api.post('/v1/transfers', { link: r.link });
      transfers.upsert(t.contentId, t);
      message(`downloading ${t.name}`);
    }, row.buttons.get));
    return row.root;
  }));
}

function wire() {
  $('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token').value.trim();
    if (token) signIn(token);
  });
  $('sign-out').addEventListener('click', () => signOut());
  $('transfers').addEventListener('click', onRowAction(transfers));
  $('shares').addEventListener('click', onRowAction(shares));
  $('detail').addEventListener('close', () => { detail.open = null; });
  onSubmit('add-link', async (form) => {
    const body = { link: formValue(form, 'link') };
    if (formValue(form, 'outDir')) body.outDir = formValue(form, 'outDir');
    const t = await session.api.post('/v1/transfers', body);
    transfers.upsert(t.contentId, t);
    form.elements.link.value = '';
    message(`downloading ${t.name}`);
  });
  onSubmit('share-path', async (form) => {
    const body = { path: formValue(form, 'path') };
    if (formValue(form, 'name')) body.name = formValue(form, 'name');
    message('hashing and announcing…');
    const s = await session.api.post('/v1/shares', body);
    form.reset();
    message(`shared ${s.name}: ${s.link}`);
  });
  onSubmit('search', async (form) => {
    message('searching…');
    const answer = await session.api.get(`/v1/search?q=${encodeURIComponent(formValue(form, 'q'))}`);
    showResults(answer);
    // Nothing found by asking no one says nothing of the network: say so.
    message(answer.results.length === 0 && answer.routingTableSize === 0
      ? 'this node knows no other node yet, so no one was asked: its daemon needs --bootstrap HOST:PORT of a node that answers'
      : '');
  });
}

wire();
const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) signIn(saved);
else signOut();
