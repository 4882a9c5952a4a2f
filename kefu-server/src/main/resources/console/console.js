// kefu web consoles: what /phone, /agent and /dev share. Plain browser JavaScript, no libraries.
//
// Safety rule: text that comes from the server or the user is only ever set with textContent or text nodes
// (kefu.el below); nothing here or in the pages uses innerHTML, insertAdjacentHTML or document.write.
'use strict';

const kefu = (() => {
  // ---- i18n ------------------------------------------------------------------------------------------------
  // WeChat's own terms (客服消息, 对方正在输入…, session_from, the system notice) stay Chinese in both languages.
  const strings = {
    zh: {
      lang_toggle: 'English', nav_label: '控制台', nav_phone: '模拟手机', nav_agent: '客服工作台', nav_dev: '开发者面板',
      admin_token: '管理令牌', admin_token_label: 'KEFU_ADMIN_TOKEN（仅保存在本标签页）', save: '保存', clear: '清除',
      token_needed: '此 kefu 需要管理令牌：请点右上角「管理令牌」粘贴 KEFU_ADMIN_TOKEN。',
      token_saved: '令牌已保存在本标签页。', token_cleared: '令牌已清除。',
      network_error: '无法连接 kefu 服务器', app: '小程序 (appid)', no_apps: '没有小程序',
      loading: '加载中…', refresh: '刷新', live: '实时', offline_stream: '连接中断，正在重连…',
      closed: '已关闭', open: '开放', none: '—', error_prefix: '错误',
      who_user: '用户', who_app: '小程序', who_agent: '客服', who_agent_named: '客服 {0}', who_system: '系统',
      image_alt: '[图片]', mp_card: '小程序', link_card: '链接', entered: '进入会话 · session_from: {0}',
    },
    en: {
      lang_toggle: '中文', nav_label: 'Consoles', nav_phone: 'Phone', nav_agent: 'Agents', nav_dev: 'Dashboard',
      admin_token: 'Admin token', admin_token_label: 'KEFU_ADMIN_TOKEN (kept in this tab only)', save: 'Save',
      clear: 'Clear',
      token_needed: 'This kefu needs the admin token: open "Admin token" (top right) and paste KEFU_ADMIN_TOKEN.',
      token_saved: 'Token saved in this tab.', token_cleared: 'Token cleared.',
      network_error: 'Cannot reach the kefu server', app: 'Mini program (appid)', no_apps: 'No apps',
      loading: 'Loading…', refresh: 'Refresh', live: 'live', offline_stream: 'Connection lost, reconnecting…',
      closed: 'closed', open: 'open', none: '—', error_prefix: 'Error',
      who_user: 'User', who_app: 'Mini program', who_agent: 'Agent', who_agent_named: 'Agent {0}',
      who_system: 'System', image_alt: '[image]', mp_card: '小程序 card', link_card: 'Link',
      entered: 'entered the chat · session_from: {0}',
    },
  };
  let lang = new URLSearchParams(location.search).get('lang')
    || localStorage.getItem('kefu.lang')
    || ((navigator.language || '').toLowerCase().startsWith('zh') ? 'zh' : 'en');
  if (!strings[lang]) lang = 'en';
  const langListeners = [];

  /** Adds a page's own strings: {zh: {...}, en: {...}}. */
  function addStrings(more) {
    for (const l of Object.keys(strings)) Object.assign(strings[l], more[l] || {});
  }

  /** The text for key in the current language; {0}, {1}… are replaced by args. */
  function t(key, ...args) {
    const s = strings[lang][key] ?? strings.en[key] ?? key;
    return s.replace(/\{(\d+)\}/g, (m, i) => (args[i] === undefined ? m : String(args[i])));
  }

  /** Sets the text of every [data-i18n] element (and placeholders, titles, aria-labels) below root. */
  function applyI18n(root = document) {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    for (const e of root.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
    for (const e of root.querySelectorAll('[data-i18n-placeholder]')) e.placeholder = t(e.dataset.i18nPlaceholder);
    for (const e of root.querySelectorAll('[data-i18n-title]')) e.title = t(e.dataset.i18nTitle);
    for (const e of root.querySelectorAll('[data-i18n-aria]')) e.setAttribute('aria-label', t(e.dataset.i18nAria));
  }

  function setLang(l) {
    lang = l;
    localStorage.setItem('kefu.lang', l);
    if (param('lang')) setParams({ lang: l });
    applyI18n();
    langListeners.forEach((f) => f());
  }

  // ---- DOM -------------------------------------------------------------------------------------------------
  /**
   * Creates an element. props: text (textContent), class, dataset, on<event> listeners, and other attributes
   * (set with setAttribute: never pass user data as href/src unless checked). Children: nodes or strings (strings
   * become text nodes).
   */
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') e.textContent = String(v);
      else if (k === 'class') e.className = v;
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  const $ = (sel, root = document) => root.querySelector(sel);

  /** Replaces the children of parent with nodes. */
  function fill(parent, nodes) {
    parent.replaceChildren(...nodes.filter((n) => n));
  }

  /** Shows a line in the page's notice area; kind: '' | 'error'. Empty text hides it. */
  function notice(text, kind = '') {
    const n = $('#notice');
    if (!n) return;
    n.textContent = text || '';
    n.className = 'notice' + (kind ? ' ' + kind : '');
    n.hidden = !text;
  }

  /** Sets a status line (role=status) next to a form. */
  function status(node, text, kind = '') {
    node.textContent = text || '';
    node.className = 'status-line' + (kind ? ' ' + kind : '');
  }

  // ---- URL state (each tab keeps its own: ?app=…&user=…) ---------------------------------------------------
  function param(name) {
    return new URLSearchParams(location.search).get(name) || '';
  }

  function setParams(values) {
    const p = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(values)) {
      if (v) p.set(k, v); else p.delete(k);
    }
    const q = p.toString();
    history.replaceState(null, '', location.pathname + (q ? '?' + q : ''));
    linkNav();
  }

  /** The console links carry the current app along. */
  function linkNav() {
    const app = param('app');
    for (const a of document.querySelectorAll('.bar nav a')) {
      const url = new URL(a.getAttribute('href'), location.href);
      if (app) url.searchParams.set('app', app); else url.searchParams.delete('app');
      a.setAttribute('href', url.pathname + url.search);
    }
  }

  // ---- the admin token (sessionStorage: this tab only) -------------------------------------------------------
  const TOKEN_KEY = 'kefu.adminToken';
  const token = () => sessionStorage.getItem(TOKEN_KEY) || '';

  function authHeaders(extra = {}) {
    const h = { ...extra };
    if (token()) h.Authorization = 'Bearer ' + token();
    return h;
  }

  let refused = false; // the server answered 401: stop polling the clock until a token is given

  function needToken() {
    refused = true;
    notice(t('token_needed'), 'error');
    const box = $('#token-box');
    if (box) {
      box.open = true;
      $('#token-input')?.focus();
    }
  }

  // ---- JSON with 64-bit ids ------------------------------------------------------------------------------------
  /**
   * JSON.parse, except that integers of 16 digits or more (MsgIds are 17 digits, beyond 2^53) stay exact, as
   * strings. Scans outside string literals only, so message text is never touched.
   */
  function parseJson(text) {
    const parts = [];
    let from = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 92) i++; // backslash: skip the escaped character
        else if (c === 34) inString = false;
      } else if (c === 34) {
        inString = true;
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        let j = i + 1;
        while (j < text.length && /[0-9.eE+-]/.test(text[j])) j++;
        if (/^-?\d{16,}$/.test(text.slice(i, j))) {
          parts.push(text.slice(from, i), '"', text.slice(i, j), '"');
          from = j;
        }
        i = j - 1;
      }
    }
    parts.push(text.slice(from));
    return JSON.parse(parts.join(''));
  }

  // ---- HTTP ------------------------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(errcode, errmsg, body) {
      super(errmsg);
      this.errcode = errcode;
      this.body = body;
    }
  }

  /**
   * Calls the platform API; resolves to the JSON body. Rejects with an ApiError for a non-zero errcode (the errmsg,
   * rid included, is the message), a 401 (then asks for the token) or a network failure.
   */
  async function api(method, path, body) {
    const init = { method, headers: authHeaders(), cache: 'no-store' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      throw new ApiError(-2, t('network_error'));
    }
    let json = null;
    try {
      json = parseJson(await res.text());
    } catch (e) {
      json = null;
    }
    if (res.status === 401) {
      needToken();
      throw new ApiError(401, json?.errmsg || 'HTTP 401', json);
    }
    if (json && typeof json.errcode === 'number' && json.errcode !== 0) {
      throw new ApiError(json.errcode, json.errmsg, json);
    }
    if (!res.ok) throw new ApiError(res.status, 'HTTP ' + res.status, json);
    return json;
  }

  const enc = encodeURIComponent;
  const appPath = (appid) => '/kefu/v1/apps/' + enc(appid);
  const userPath = (appid, openid) => appPath(appid) + '/users/' + enc(openid);

  // ---- Server-Sent Events ------------------------------------------------------------------------------------
  /**
   * Follows an SSE endpoint. fetch rather than EventSource, because EventSource cannot send the Authorization
   * header an admin token needs. handlers: {ready(data), event(name, data), down()}. Reconnects after a second;
   * 'ready' comes again after each reconnect (re-read the state then). Returns {close()}.
   */
  function stream(path, handlers) {
    let stopped = false;
    let controller = null;
    const dispatch = (block) => {
      let name = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (!line || line.startsWith(':')) continue;
        const i = line.indexOf(':');
        const field = i < 0 ? line : line.slice(0, i);
        let value = i < 0 ? '' : line.slice(i + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'event') name = value;
        else if (field === 'data') data.push(value);
      }
      if (name === 'ping' || data.length === 0) return;
      let parsed;
      try {
        parsed = parseJson(data.join('\n'));
      } catch (e) {
        return;
      }
      if (name === 'ready') handlers.ready?.(parsed);
      else handlers.event?.(name, parsed);
    };
    (async () => {
      while (!stopped) {
        controller = new AbortController();
        try {
          const res = await fetch(path, {
            headers: authHeaders({ Accept: 'text/event-stream' }), cache: 'no-store', signal: controller.signal,
          });
          if (res.status === 401) {
            needToken();
          } else if ((res.headers.get('Content-Type') || '').includes('text/event-stream')) {
            const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
            let buffer = '';
            for (;;) {
              const { value, done } = await reader.read();
              if (done) break;
              buffer += value;
              let m;
              while ((m = /\r?\n\r?\n/.exec(buffer))) {
                dispatch(buffer.slice(0, m.index));
                buffer = buffer.slice(m.index + m[0].length);
              }
            }
          } else {
            const body = await res.text().then(parseJson).catch(() => null);
            if (body?.errmsg) handlers.error?.(body.errmsg);
          }
        } catch (e) {
          // aborted (close) or the connection dropped: reconnect below
        }
        if (stopped) return;
        handlers.down?.();
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    return {
      close() {
        stopped = true;
        controller?.abort();
      },
    };
  }

  // ---- kefu's clock --------------------------------------------------------------------------------------------
  // Countdowns run on kefu's clock, which the dashboard may freeze or move. The clock is read every 5 s; a jump,
  // or a message from another console tab (BroadcastChannel), tells the page to re-read what depends on time.
  const clock = { nowMs: null, frozen: false, readAt: 0 };
  const clockListeners = [];
  const channel = 'BroadcastChannel' in window ? new BroadcastChannel('kefu-console') : null;

  function serverNow() {
    if (clock.nowMs === null) return Date.now();
    return clock.frozen ? clock.nowMs : clock.nowMs + (performance.now() - clock.readAt);
  }

  async function readClock(force = false) {
    if (refused) return;
    let c;
    try {
      c = await api('GET', '/kefu/v1/clock');
    } catch (e) {
      return;
    }
    const predicted = serverNow();
    const jumped = clock.nowMs !== null && (Math.abs(c.now_ms - predicted) > 1500 || c.frozen !== clock.frozen);
    clock.nowMs = c.now_ms;
    clock.frozen = c.frozen;
    clock.readAt = performance.now();
    if (jumped || force) clockListeners.forEach((f) => f(clock));
  }

  /** f(clock) runs when kefu's clock jumps, is frozen or unfrozen, or another tab says the state changed. */
  function onClock(f) {
    clockListeners.push(f);
  }

  /** Tells the other console tabs of this browser that the clock moved or the state was reset. */
  function announce(what) {
    channel?.postMessage({ what });
  }

  if (channel) channel.onmessage = () => readClock(true);

  // ---- formatting ----------------------------------------------------------------------------------------------
  /** 172800 → "48:00:00"; hours are not folded into days (the rules speak of 48 hours). */
  function duration(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h + ':' + String(m).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0');
  }

  function time(ms, withDate = false) {
    if (ms === null || ms === undefined) return t('none');
    const opts = { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false };
    if (withDate) Object.assign(opts, { year: 'numeric', month: '2-digit', day: '2-digit' });
    return new Date(ms).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', opts);
  }

  // ---- messages -------------------------------------------------------------------------------------------------
  /** The body of a message as the conversation API shows it (text, image, card, link), as text nodes only. */
  function messageBody(m) {
    switch (m.msgtype) {
      case 'text':
        return el('div', { class: 'bubble', text: m.text?.content ?? '' });
      case 'image':
        return el('div', { class: 'bubble' }, el('img', {
          class: 'photo', alt: t('image_alt'), loading: 'lazy',
          src: '/kefu/media/' + enc(m.image?.media_id ?? ''),
        }));
      case 'miniprogrampage':
        return el('div', { class: 'bubble card-msg' },
          el('span', { class: 'card-title', text: m.miniprogrampage?.title ?? '' }),
          el('span', { class: 'mono small', text: m.miniprogrampage?.pagepath ?? '' }),
          el('span', { class: 'card-foot', text: t('mp_card') }));
      case 'link':
        return el('div', { class: 'bubble card-msg' },
          el('span', { class: 'card-title', text: m.link?.title ?? '' }),
          el('span', { class: 'small', text: m.link?.description ?? '' }),
          el('span', { class: 'mono small', text: m.link?.url ?? '' }),
          el('span', { class: 'card-foot', text: t('link_card') }));
      default:
        return el('div', { class: 'bubble mono', text: JSON.stringify(m) });
    }
  }

  /**
   * A conversation entry: <li class="msg {direction}"> with who, body and time. `mine` lists the directions drawn on
   * the right (the phone: from_user; the agent: from_agent and to_user).
   */
  function messageNode(m, mine) {
    const who = {
      from_user: t('who_user'),
      to_user: t('who_app'),
      from_agent: m.agent ? t('who_agent_named', m.agent) : t('who_agent'),
      system: t('who_system'),
    }[m.direction] ?? m.direction;
    const classes = ['msg', m.direction];
    if (mine.includes(m.direction)) classes.push('mine');
    return el('li', { class: classes.join(' '), dataset: { msgid: String(m.msgid), direction: m.direction } },
      m.direction === 'system' ? null : el('span', { class: 'who', text: who }),
      messageBody(m),
      el('span', { class: 'time', text: time(m.created_at_ms) }));
  }

  /**
   * Adds a message to a list once (by msgid; the POST's answer and the live event may both bring it), keeping the
   * list in msgid order and scrolled to the end.
   */
  function upsertMessage(list, m, mine) {
    const id = String(m.msgid);
    if (list.querySelector('li[data-msgid="' + CSS.escape(id) + '"]')) return false;
    const node = messageNode(m, mine);
    const later = [...list.querySelectorAll('li[data-msgid]')].find((li) => BigInt(li.dataset.msgid) > BigInt(id));
    list.insertBefore(node, later || null);
    list.scrollTop = list.scrollHeight;
    return true;
  }

  // ---- app picker ---------------------------------------------------------------------------------------------
  /** Fills a <select> with the apps; selects `wanted` or the first. Resolves to the apps. */
  async function loadApps(select, wanted) {
    const { apps } = await api('GET', '/kefu/v1/apps');
    fill(select, apps.map((a) => el('option', { value: a.appid, text: a.appid })));
    if (apps.length === 0) select.append(el('option', { value: '', text: t('no_apps') }));
    select.value = apps.some((a) => a.appid === wanted) ? wanted : (apps[0]?.appid || '');
    return apps;
  }

  // ---- page frame ------------------------------------------------------------------------------------------------
  /** Wires the bar (language, token, nav) and starts the clock; call once per page. */
  function init() {
    applyI18n();
    linkNav();
    const here = location.pathname;
    for (const a of document.querySelectorAll('.bar nav a')) {
      if (new URL(a.href).pathname === here) a.setAttribute('aria-current', 'page');
    }
    $('#lang-toggle')?.addEventListener('click', () => setLang(lang === 'zh' ? 'en' : 'zh'));
    const box = $('#token-box');
    if (box) {
      box.dataset.set = String(Boolean(token()));
      $('#token-form').addEventListener('submit', (e) => {
        e.preventDefault();
        const v = $('#token-input').value.trim();
        if (v) sessionStorage.setItem(TOKEN_KEY, v); else sessionStorage.removeItem(TOKEN_KEY);
        $('#token-input').value = '';
        box.dataset.set = String(Boolean(v));
        box.open = false;
        notice(v ? t('token_saved') : t('token_cleared'));
        refused = false;
        readClock();
        window.dispatchEvent(new Event('kefu-token'));
      });
      $('#token-clear').addEventListener('click', () => {
        sessionStorage.removeItem(TOKEN_KEY);
        box.dataset.set = 'false';
        notice(t('token_cleared'));
      });
    }
    readClock();
    setInterval(readClock, 5000);
  }

  return {
    t, addStrings, applyI18n, lang: () => lang, onLang: (f) => langListeners.push(f),
    el, $, fill, notice, status, param, setParams,
    api, ApiError, parseJson, appPath, userPath, enc, stream,
    serverNow, readClock, onClock, announce, clock,
    duration, time, loadApps, init, messageBody, messageNode, upsertMessage,
  };
})();
