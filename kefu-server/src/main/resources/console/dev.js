// /dev: the developer's dashboard. State in the URL: ?app=….
'use strict';

kefu.addStrings({
  zh: {
    clock: '时钟', advance_1m: '+1 分钟', advance_1h: '+1 小时', advance_48h: '+48 小时', freeze: '冻结', unfreeze: '解冻',
    frozen: '已冻结', running: '运行中', reset: '重置…', reset_confirm: '确认重置：清空除小程序外的一切',
    reset_done: '已重置（小程序保留）', advanced: '时钟已前进 {0}', apps: '小程序与设置', new_app: '新建小程序',
    create: '创建', settings: '设置', rules: '窗口规则', customer_service: '客服消息权限（customer_service；关闭时发送得到 48001）',
    save_settings: '保存设置', push: '消息推送', format: '格式', mode: '模式', enabled: '启用',
    check_url: '检查 URL 并保存', save_unchecked: '保存（不检查 URL）', saved: '已保存',
    push_saved: '已保存（URL 或 Token 有变化时已通过微信式 URL 检查）', push_saved_unchecked: '已保存，未检查 URL',
    refused: '未保存：{0}', users: '用户与发送窗口', window: '窗口', remaining: '剩余次数', time_left: '剩余时间',
    granted_by: '来源', open_phone: '手机', open_agent: '客服', kind: '类型', issued: '签发', expires_in: '有效期剩余',
    state: '状态', journal: '请求日志（微信接口）', time: '时间', method: '方法', latency: '耗时', filter: '筛选',
    auto_refresh: '自动刷新', pushes: '推送日志 · 签名调试', outcome: '结果', all: '全部',
    compare_label: '你的服务器算出的签名串，含你的 Token（可选，逐字对比）', no_entries: '没有记录', no_users: '没有用户',
    no_tokens: '还没有签发 access_token', request: '请求', signing: '签名', response: '开发者服务器的回复',
    verdict: '判定', plaintext: '明文（加密前）', body: '请求体', headers: '请求头', query: '查询参数',
    canonical: '签名串 (signature)', msg_canonical: '签名串 (msg_signature)', status: 'HTTP 状态', reason: '原因',
    same: '一致', differs_at: '从第 {0} 个字符开始不同',
    same_token_checked: '一致（你的 Token 签出的正是 kefu 的签名）',
    token_differs: 'Token 之外一致，但签名不同：你的 Token 不是 kefu 的',
    same_but_token: 'Token 之外一致（此页面无法计算 SHA-1，请自行对比签名）',
    kept_secret: '已设置（不显示；留空则不变）',
    limits: '接口调用限额', limits_on: '开启（微信的限额：超出每日限额 45009，超出每分钟限额 45011）',
    today: '今天（北京时间）', this_minute: '本分钟', limits_off: '未开启：调用不计数，也不受限', no_limit: '不限', attempt: '第 {0} 次', failed: '失败：{0}',
    custom_rules: '自定义：{0}', state_valid: '有效', state_in_grace: '宽限期', state_superseded: '已被取代',
    state_expired: '已过期', kind_ordinary: 'token', kind_stable: 'stable_token', app_created: '已创建 {0}',
    fault: '故障注入 #{0}：{1}',
  },
  en: {
    clock: 'Clock', advance_1m: '+1 min', advance_1h: '+1 h', advance_48h: '+48 h', freeze: 'Freeze', unfreeze: 'Unfreeze',
    frozen: 'frozen', running: 'running', reset: 'Reset…', reset_confirm: 'Confirm reset: empty everything but the apps',
    reset_done: 'Reset done (apps kept)', advanced: 'Clock moved forward {0}', apps: 'Apps and settings',
    new_app: 'New app', create: 'Create', settings: 'Settings', rules: 'Window rules',
    customer_service: '客服消息 permission (customer_service; off: sends get 48001)', save_settings: 'Save settings',
    push: 'Message push', format: 'Format', mode: 'Mode', enabled: 'Enabled', check_url: 'Check URL and save',
    save_unchecked: 'Save without the URL check', saved: 'Saved',
    push_saved: 'Saved (a changed URL or token passed WeChat\'s URL check)', push_saved_unchecked: 'Saved; URL not checked',
    refused: 'Not saved: {0}', users: 'Users and send windows', window: 'Window', remaining: 'Sends left',
    time_left: 'Time left', granted_by: 'Granted by', open_phone: 'phone', open_agent: 'agent', kind: 'Kind',
    issued: 'Issued', expires_in: 'Expires in', state: 'State', journal: 'Request journal (WeChat API)', time: 'Time',
    method: 'Method', latency: 'Latency', filter: 'Filter', auto_refresh: 'Auto refresh',
    pushes: 'Push journal · signature debugger', outcome: 'Outcome', all: 'all',
    compare_label: 'Canonical string your server computed, your Token included (optional, compared character by character)',
    no_entries: 'No entries', no_users: 'No users', no_tokens: 'No access_token issued yet', request: 'Request',
    signing: 'Signature', response: 'Developer server\'s reply', verdict: 'Verdict', plaintext: 'Plaintext (before encryption)',
    body: 'Body', headers: 'Headers', query: 'Query', canonical: 'Canonical string (signature)',
    msg_canonical: 'Canonical string (msg_signature)', status: 'HTTP status', reason: 'Reason', same: 'identical',
    differs_at: 'differs from character {0}',
    same_token_checked: 'identical (your Token gives kefu\'s signature)',
    token_differs: 'identical apart from the Token, which signs differently: your Token is not kefu\'s',
    same_but_token: 'identical apart from the Token (this page cannot compute SHA-1: compare the signatures)',
    kept_secret: 'set (not shown; leave empty to keep it)',
    limits: 'API limits', limits_on: 'On (WeChat\'s figures: 45009 past the day\'s quota, 45011 past the minute\'s)',
    today: 'Today (Beijing)', this_minute: 'This minute', limits_off: 'Off: calls are neither counted nor limited',
    no_limit: 'no limit', attempt: 'attempt {0}', failed: 'Failed: {0}', custom_rules: 'custom: {0}',
    state_valid: 'valid', state_in_grace: 'in grace', state_superseded: 'superseded', state_expired: 'expired',
    kind_ordinary: 'token', kind_stable: 'stable_token', app_created: 'Created {0}',
    fault: 'fault #{0}: {1}',
  },
});

(() => {
  const { $, el, t, api, appPath, userPath } = kefu;
  const appSelect = $('#app');
  const appLine = $('#app-line');
  const clockLine = $('#clock-line');
  let appid = '';
  let app = null;
  const shown = {}; // last JSON rendered per section: re-render only on change (keeps focus and open details)

  const failOn = (line) => (e) => kefu.status(line, t('failed', e.message), 'error');
  // the mark of an injected fault (POST /kefu/v1/faults) on a journal entry or push attempt, or nothing
  const faultBadge = (fault) => fault
    ? el('span', { class: 'badge fault', dataset: { fault: String(fault.rule) }, text: t('fault', fault.rule, fault.effect) })
    : null;

  function changed(key, data) {
    const json = JSON.stringify(data);
    if (shown[key] === json) return false;
    shown[key] = json;
    return true;
  }

  // ---- clock -----------------------------------------------------------------------------------------------------
  function renderClock() {
    $('#clock-now').textContent = kefu.time(kefu.serverNow(), true);
    const frozen = kefu.clock.frozen;
    $('#clock-frozen').textContent = frozen ? t('frozen') : t('running');
    $('#clock-frozen').className = 'badge' + (frozen ? ' warn' : ' ok');
    $('#freeze').textContent = frozen ? t('unfreeze') : t('freeze');
    $('#freeze').setAttribute('aria-pressed', String(frozen));
  }

  async function moveClock(body, message) {
    try {
      await api('POST', '/kefu/v1/clock', body);
      await kefu.readClock(true);
      kefu.announce('clock');
      kefu.status(clockLine, message, 'ok');
    } catch (e) {
      failOn(clockLine)(e);
    }
  }

  for (const b of document.querySelectorAll('[data-advance]')) {
    b.addEventListener('click', () => {
      const seconds = Number(b.dataset.advance);
      moveClock({ advance_seconds: seconds }, t('advanced', kefu.duration(seconds)));
    });
  }
  $('#freeze').addEventListener('click', () => moveClock({ frozen: !kefu.clock.frozen }, ''));
  $('#reset').addEventListener('click', () => {
    $('#reset-confirm').hidden = false;
    $('#reset-confirm').focus();
  });
  $('#reset-confirm').addEventListener('click', async () => {
    $('#reset-confirm').hidden = true;
    try {
      await api('POST', '/kefu/v1/reset');
      kefu.announce('reset');
      kefu.status(clockLine, t('reset_done'), 'ok');
      refreshAll();
    } catch (e) {
      failOn(clockLine)(e);
    }
  });

  // ---- app settings and push ---------------------------------------------------------------------------------------
  function fillApp() {
    const rules = $('#rules');
    for (const o of [...rules.options]) if (o.dataset.custom) o.remove();
    if (typeof app.rules === 'string') {
      rules.value = app.rules;
    } else {
      rules.append(el('option', { value: '', dataset: { custom: 'true' }, text: t('custom_rules', app.rules.name) }));
      rules.value = '';
    }
    $('#customer-service').checked = app.customer_service;
    $('#push-url').value = app.push.url;
    // kefu never shows the Token or the EncodingAESKey; an empty field keeps them
    $('#push-token').value = '';
    $('#push-token').placeholder = app.push.token_set ? t('kept_secret') : '';
    $('#push-key').value = '';
    $('#push-key').placeholder = app.push.encoding_aes_key_set ? t('kept_secret') : '';
    $('#push-format').value = app.push.format;
    $('#push-mode').value = app.push.mode;
    $('#push-enabled').checked = app.push.enabled;
  }

  async function selectApp() {
    appid = appSelect.value;
    kefu.setParams({ app: appid });
    $('#j-appid').value = appid;
    Object.keys(shown).forEach((k) => delete shown[k]);
    if (!appid) return;
    app = await api('GET', appPath(appid));
    fillApp();
    refreshAll();
  }

  async function putApp(body, query, okText) {
    try {
      app = await api('PUT', appPath(appid) + (query || ''), body);
      fillApp();
      kefu.status(appLine, okText, 'ok');
    } catch (e) {
      // the refusal reason, e.g. "push.url refused: HTTP 404 (nothing saved; …)"
      kefu.status(appLine, t('refused', e.message), 'error');
    }
  }

  function pushBody() {
    const push = {
      url: $('#push-url').value.trim(), format: $('#push-format').value, mode: $('#push-mode').value,
      enabled: $('#push-enabled').checked,
    };
    if ($('#push-token').value.trim()) push.token = $('#push-token').value.trim();
    if ($('#push-key').value.trim()) push.encoding_aes_key = $('#push-key').value.trim();
    return { push };
  }

  $('#settings').addEventListener('submit', (e) => {
    e.preventDefault();
    const body = { customer_service: $('#customer-service').checked };
    if ($('#rules').value) body.rules = $('#rules').value;
    putApp(body, '', t('saved'));
  });
  $('#push').addEventListener('submit', (e) => {
    e.preventDefault();
    putApp(pushBody(), '', t('push_saved'));
  });
  $('#save-push').addEventListener('click', () => putApp(pushBody(), '?skip_url_check=true', t('push_saved_unchecked')));
  $('#new-app').addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = $('#new-appid').value.trim();
    try {
      await api('PUT', appPath(id), { secret: $('#new-secret').value });
      await kefu.loadApps(appSelect, id);
      kefu.status(appLine, t('app_created', id), 'ok');
      e.target.reset();
      await selectApp();
    } catch (err) {
      kefu.status(appLine, t('refused', err.message), 'error');
    }
  });
  appSelect.addEventListener('change', () => selectApp().catch(failOn(appLine)));

  // ---- users and their windows -------------------------------------------------------------------------------------
  async function refreshUsers() {
    if (!appid) return;
    const { users } = await api('GET', appPath(appid) + '/users');
    const shownUsers = users.slice(0, 50);
    const windows = await Promise.all(shownUsers.map((u) => api('GET', userPath(appid, u.openid) + '/window')
      .catch(() => null)));
    if (!changed('users', [shownUsers, windows])) return;
    const link = (page, openid) => {
      const q = new URLSearchParams({ app: appid, user: openid });
      return el('a', { href: '/' + page + '?' + q.toString(), text: t('open_' + page) });
    };
    kefu.fill($('#users'), shownUsers.length === 0 ? [el('tr', {}, el('td', { colspan: 6, class: 'empty', text: t('no_users') }))]
      : shownUsers.map((u, i) => {
        const w = windows[i];
        return el('tr', { dataset: { openid: u.openid } },
          el('td', { class: 'mono', text: u.openid }),
          el('td', {}, el('span', { class: 'badge ' + (w?.open ? 'ok' : 'bad'), text: w?.open ? t('open') : t('closed') })),
          el('td', { text: w ? String(w.remaining) : t('none') }),
          el('td', { class: 'countdown mono', dataset: { expires: w?.open ? String(w.expires_at_ms) : '' } }),
          el('td', { text: w?.granted_by || t('none') }),
          el('td', {}, link('phone', u.openid), ' · ', link('agent', u.openid)));
      }));
    tick();
  }

  // ---- tokens ------------------------------------------------------------------------------------------------------
  async function refreshTokens() {
    if (!appid) return;
    const { tokens } = await api('GET', appPath(appid) + '/tokens?limit=20');
    if (!changed('tokens', tokens)) return;
    kefu.fill($('#tokens'), tokens.length === 0 ? [el('tr', {}, el('td', { colspan: 5, class: 'empty', text: t('no_tokens') }))]
      : tokens.map((k) => el('tr', { dataset: { state: k.state } },
        el('td', { class: 'mono', text: k.access_token.slice(0, 12) + '…', title: k.access_token }),
        el('td', { text: t('kind_' + k.kind) + (k.forced ? ' (force_refresh)' : '') }),
        el('td', { text: kefu.time(k.issued_at_ms, true) }),
        el('td', { class: 'countdown mono', dataset: { expires: String(k.expires_at_ms) } }),
        el('td', {}, el('span', { class: 'badge ' + k.state, text: t('state_' + k.state) })))));
    tick();
  }

  // ---- API limits --------------------------------------------------------------------------------------------------
  async function refreshLimits() {
    if (!appid) return;
    const limits = await api('GET', appPath(appid) + '/limits');
    if (!changed('limits', [limits.on, limits.paths])) return;
    $('#limits-on').checked = limits.on;
    const quota = (q) => el('span', {
      class: 'badge ' + (q.limit !== null && q.used >= q.limit ? 'bad' : 'ok'),
      text: q.used + ' / ' + (q.limit === null ? t('no_limit') : q.limit),
    });
    kefu.fill($('#limits'), !limits.on ? [el('tr', {}, el('td', { colspan: 3, class: 'empty', text: t('limits_off') }))]
      : limits.paths.map((p) => el('tr', { dataset: { path: p.path } },
        el('td', { class: 'mono', text: p.path }),
        el('td', { dataset: { quota: 'daily' } }, quota(p.daily)),
        el('td', { dataset: { quota: 'per_minute' } }, quota(p.per_minute)))));
  }
  $('#limits-on').addEventListener('change', async () => {
    await putApp({ limits: $('#limits-on').checked }, '', t('saved'));
    refreshLimits().catch(failOn(appLine));
  });

  // ---- request journal -----------------------------------------------------------------------------------------------
  async function refreshJournal() {
    const q = new URLSearchParams();
    for (const [name, id] of [['appid', '#j-appid'], ['path', '#j-path'], ['errcode', '#j-errcode'], ['limit', '#j-limit']]) {
      const v = $(id).value.trim();
      if (v) q.set(name, v);
    }
    const { entries } = await api('GET', '/kefu/v1/journal?' + q.toString());
    if (!changed('journal', entries)) return;
    kefu.fill($('#journal'), entries.length === 0 ? [el('tr', {}, el('td', { colspan: 8, class: 'empty', text: t('no_entries') }))]
      : entries.map((j) => el('tr', { dataset: { errcode: String(j.errcode) } },
        el('td', { text: kefu.time(j.at_ms, true) }),
        el('td', { text: j.method }),
        el('td', { class: 'mono', text: j.path }),
        el('td', { class: 'mono', text: j.appid }),
        el('td', { class: 'mono', text: j.openid }),
        el('td', {}, el('span', { class: 'badge ' + (j.errcode === 0 ? 'ok' : 'bad'), text: String(j.errcode) }),
          faultBadge(j.fault)),
        el('td', { text: j.latency_ms.toFixed(1) + ' ms' }),
        el('td', { class: 'mono small', text: j.rid }))));
  }
  $('#journal-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    refreshJournal().catch(failOn(appLine));
  });

  // ---- push journal and the signature debugger ---------------------------------------------------------------------
  const TOKEN_MASK = '{token}';

  async function sha1Hex(text) {
    const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  /**
   * The developer's canonical string against kefu's, which shows the Token as {token}: the text around it must be
   * the same, and what stands in its place (their Token) must give kefu's signature.
   */
  function compareNote(theirs, ours, signature) {
    if (!theirs || !ours) return null;
    const note = (same, text) => el('span', {
      class: 'compare ' + (same ? 'same' : 'diff'), text: (same ? '✓ ' : '✗ ') + text,
    });
    const at = ours.indexOf(TOKEN_MASK);
    const before = at < 0 ? ours : ours.slice(0, at);
    const after = at < 0 ? '' : ours.slice(at + TOKEN_MASK.length);
    let i = 0;
    while (i < theirs.length && i < before.length && theirs[i] === before[i]) i++;
    if (at < 0 && i === theirs.length && i === ours.length) return note(true, t('same'));
    if (i < before.length || at < 0) return note(false, t('differs_at', i + 1));
    const room = theirs.length - before.length; // their Token and what follows it
    let j = 0;
    while (j < after.length && j < room && theirs[theirs.length - 1 - j] === after[after.length - 1 - j]) j++;
    if (j < after.length && j < room) return note(false, t('differs_at', theirs.length - j));
    if (j === room) return note(false, t('differs_at', before.length + 1)); // nothing where the Token stands
    if (!window.crypto?.subtle) return note(true, t('same_but_token'));
    const pending = el('span', { class: 'compare' });
    sha1Hex(theirs).then((mine) => pending.replaceWith(mine === signature
      ? note(true, t('same_token_checked')) : note(false, t('token_differs'))));
    return pending;
  }

  function field(label, name, value, extra) {
    const empty = value === null || value === undefined || value === '';
    return [el('dt', { text: label }),
      el('dd', {}, el('pre', { dataset: { field: name }, text: empty ? t('none') : String(value) }), extra || null)];
  }

  function attemptNode(p, open) {
    const mine = $('#p-compare').value;
    const details = el('details', { class: 'attempt', dataset: { id: String(p.id), outcome: p.outcome } },
      el('summary', {},
        el('span', { class: 'badge ' + p.outcome, text: p.outcome }),
        faultBadge(p.fault),
        el('span', { class: 'small', text: kefu.time(p.at_ms, true) }),
        el('span', { class: 'mono small', text: p.openid }),
        el('span', { class: 'small', text: 'MsgId ' + p.msgid }),
        el('span', { class: 'small', text: t('attempt', p.attempt) }),
        el('span', { class: 'reason-text', text: p.reason || '' })),
      el('div', { class: 'detail' },
        el('h3', { text: t('verdict') }),
        el('dl', {}, field(t('outcome'), 'outcome', p.outcome), field(t('reason'), 'reason', p.reason)),
        el('h3', { text: t('signing') }),
        el('dl', {},
          field(t('canonical'), 'signature.canonical', p.signature.canonical,
            compareNote(mine, p.signature.canonical, p.signature.signature)),
          field('signature', 'signature.signature', p.signature.signature),
          field(t('msg_canonical'), 'signature.msg_canonical', p.signature.msg_canonical,
            compareNote(mine, p.signature.msg_canonical, p.signature.msg_signature)),
          field('msg_signature', 'signature.msg_signature', p.signature.msg_signature)),
        el('h3', { text: t('request') }),
        el('dl', {},
          field('URL', 'request.url', p.request.url),
          field(t('query'), 'request.query', p.request.query),
          field(t('headers'), 'request.headers', p.request.headers),
          field(t('plaintext'), 'request.plaintext', p.request.plaintext),
          field(t('body'), 'request.body', p.request.body)),
        el('h3', { text: t('response') }),
        el('dl', {},
          field(t('status'), 'response.status', p.response.status),
          field(t('latency'), 'response.latency_ms', p.response.latency_ms + ' ms'),
          field(t('body'), 'response.body', p.response.body))));
    details.open = open;
    return details;
  }

  async function refreshPushes(force = false) {
    if (!appid) return;
    const q = new URLSearchParams({ limit: '50' });
    if ($('#p-openid').value.trim()) q.set('openid', $('#p-openid').value.trim());
    if ($('#p-status').value) q.set('status', $('#p-status').value);
    const { pushes } = await api('GET', appPath(appid) + '/pushes?' + q.toString());
    if (!changed('pushes', pushes) && !force) return;
    const open = new Set([...document.querySelectorAll('#pushes details[open]')].map((d) => d.dataset.id));
    kefu.fill($('#pushes'), pushes.length === 0 ? [el('p', { class: 'empty', text: t('no_entries') })]
      : pushes.map((p) => attemptNode(p, open.has(String(p.id)))));
  }
  $('#push-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    refreshPushes(true).catch(failOn(appLine));
  });
  $('#p-compare').addEventListener('input', () => refreshPushes(true).catch(failOn(appLine)));

  // ---- refresh -------------------------------------------------------------------------------------------------------
  function refreshAll() {
    const fail = failOn(appLine);
    refreshUsers().catch(fail);
    refreshTokens().catch(fail);
    refreshLimits().catch(fail);
    refreshJournal().catch(fail);
    refreshPushes().catch(fail);
  }

  function tick() {
    renderClock();
    const now = kefu.serverNow();
    for (const c of document.querySelectorAll('.countdown')) {
      const expires = Number(c.dataset.expires);
      c.textContent = c.dataset.expires ? kefu.duration(Math.max(0, expires - now) / 1000) : t('none');
    }
  }

  $('#refresh-users').addEventListener('click', () => refreshUsers().catch(failOn(appLine)));
  $('#refresh-tokens').addEventListener('click', () => refreshTokens().catch(failOn(appLine)));
  $('#refresh-limits').addEventListener('click', () => refreshLimits().catch(failOn(appLine)));
  kefu.onClock(() => {
    renderClock();
    refreshAll();
  });
  kefu.onLang(() => {
    Object.keys(shown).forEach((k) => delete shown[k]);
    if (app) fillApp();
    renderClock();
    refreshAll();
  });
  window.addEventListener('kefu-token', () => kefu.loadApps(appSelect, appid).then(selectApp).catch(failOn(appLine)));
  setInterval(tick, 1000);
  setInterval(() => {
    if ($('#auto').checked && !document.hidden) refreshAll();
  }, 3000);

  kefu.init();
  kefu.loadApps(appSelect, kefu.param('app')).then(selectApp).catch(failOn(appLine));
})();
