// /agent: the agents' workbench. State in the URL: ?app=…&agent=…&user=….
'use strict';

kefu.addStrings({
  zh: {
    agent_title: '客服工作台', account: '客服账号', nickname: '昵称', go_online: '上线', go_offline: '下线',
    online: '在线', offline: '离线', unknown_agent: '未创建（上线即创建）', queue: '排队中', accept_next: '接入下一位',
    accept: '接入', view: '查看', sessions: '会话', history: '会话记录', close_session: '结束会话',
    time_left: '剩余时间', sends_left: '剩余发送次数', agent_rule: '客服在用户最后一条消息后 48 小时内可回复，不限次数；次数为开发者接口的配额',
    reply: '回复', reply_here: '输入回复，Enter 发送，Shift+Enter 换行', send: '发送', nobody_waiting: '没有人在排队',
    no_sessions: '没有进行中的会话', waiting_for: '已等待 {0}', held_by: '由 {0} 接待', mine: '我的会话',
    pick_conversation: '从左侧选择一个会话。', accept_first: '该用户在排队：先接入才能回复。',
    no_session: '会话已结束：该用户没有与客服的会话。', not_yours: '该会话由 {0} 接待，你不能回复。',
    window_closed_reason: '窗口已关闭：距用户最后一条消息已超过 48 小时，客服消息会被拒绝 (45015)。',
    be_online: '先上线才能接入', status_saved: '{0} 已{1}', accepted_user: '已接入 {0}', closed_session: '已结束与 {0} 的会话',
    failed: '失败：{0}', state_waiting: '排队中', state_active: '进行中', state_none: '无会话',
  },
  en: {
    agent_title: 'Agents\' workbench', account: 'Agent account', nickname: 'Nickname', go_online: 'Go online',
    go_offline: 'Go offline', online: 'online', offline: 'offline', unknown_agent: 'not created yet (going online creates it)',
    queue: 'Waiting', accept_next: 'Accept next', accept: 'Accept', view: 'View', sessions: 'Sessions',
    history: 'History', close_session: 'Close session', time_left: 'Time left', sends_left: 'Sends left',
    agent_rule: 'Agents may reply within 48 hours of the user\'s last message, without a count limit; the count is the developer API\'s',
    reply: 'Reply', reply_here: 'Type a reply; Enter sends, Shift+Enter adds a line', send: 'Send',
    nobody_waiting: 'Nobody is waiting', no_sessions: 'No active sessions', waiting_for: 'waiting {0}',
    held_by: 'with {0}', mine: 'mine', pick_conversation: 'Pick a conversation on the left.',
    accept_first: 'This user is waiting: accept them to reply.',
    no_session: 'Session ended: this user has no session with the agents.',
    not_yours: 'This session is held by {0}; you cannot reply.',
    window_closed_reason: 'Window closed: the user\'s last message is more than 48 hours old, so agent messages are refused (45015).',
    be_online: 'Go online to accept', status_saved: '{0} is {1}', accepted_user: 'Accepted {0}',
    closed_session: 'Closed the session with {0}', failed: 'Failed: {0}', state_waiting: 'waiting',
    state_active: 'active', state_none: 'no session',
  },
});

(() => {
  const { $, el, t, api, appPath, userPath, enc } = kefu;
  const MINE = ['from_agent', 'to_user'];
  const appSelect = $('#app');
  const accountInput = $('#account');
  const history = $('#history');
  const line = $('#agent-line');
  let appid = '';
  let agent = null; // {account, nickname, status} or null when not created
  let queue = { waiting: [], active: [] };
  let selected = kefu.param('user');
  let windowView = null;
  let refusal = ''; // the server's answer to the last send, when it refused
  const unread = new Map();
  let agentEvents = null;
  let conversation = null;

  const account = () => accountInput.value.trim();
  const fail = (e) => kefu.status(line, t('failed', e.message), 'error');
  const sessionOf = (openid) => queue.active.find((s) => s.openid === openid)
    || queue.waiting.find((s) => s.openid === openid) || null;
  const windowOpen = () => Boolean(windowView?.open && windowView.expires_at_ms > kefu.serverNow());

  // ---- the agent ---------------------------------------------------------------------------------------------
  async function loadAgent() {
    if (!appid || !account()) return;
    const { agents } = await api('GET', appPath(appid) + '/agents');
    agent = agents.find((a) => a.account === account()) || null;
    renderAgent();
  }

  function renderAgent() {
    const badge = $('#agent-status');
    badge.textContent = agent ? t(agent.status) : t('unknown_agent');
    badge.className = 'badge' + (agent?.status === 'online' ? ' online' : '');
    if (agent && !$('#nickname').value) $('#nickname').value = agent.nickname;
    renderQueue();
  }

  async function setStatus(status) {
    const body = { status };
    if ($('#nickname').value.trim()) body.nickname = $('#nickname').value.trim();
    try {
      agent = await api('PUT', appPath(appid) + '/agents/' + enc(account()), body);
      kefu.setParams({ agent: account() });
      kefu.status(line, t('status_saved', agent.account, t(agent.status)), 'ok');
      renderAgent();
    } catch (e) {
      fail(e);
    }
  }

  // ---- queue and sessions ----------------------------------------------------------------------------------------
  async function refreshQueue() {
    queue = await api('GET', appPath(appid) + '/queue');
    renderQueue();
  }

  function unreadBadge(openid) {
    const n = unread.get(openid) || 0;
    return n ? el('span', { class: 'badge count', text: String(n), 'aria-label': n + ' unread' }) : null;
  }

  function renderQueue() {
    const online = agent?.status === 'online';
    $('#waiting-count').textContent = String(queue.waiting.length);
    const accept = $('#accept-next');
    accept.disabled = !online || queue.waiting.length === 0;
    accept.title = online ? '' : t('be_online');
    kefu.fill($('#queue'), queue.waiting.length === 0 ? [el('li', { class: 'empty', text: t('nobody_waiting') })]
      : queue.waiting.map((s) => el('li', { class: s.openid === selected ? 'selected' : '', dataset: { openid: s.openid } },
        el('button', { type: 'button', class: 'pick', onclick: () => select(s.openid) },
          el('span', { class: 'who', text: s.openid }), ' ',
          el('span', { class: 'muted small wait', dataset: { since: String(s.waiting_since) } })),
        unreadBadge(s.openid),
        el('button', {
          type: 'button', class: 'primary accept', disabled: !online, title: online ? null : t('be_online'),
          text: t('accept'), onclick: () => acceptUser(s.openid),
        }))));
    kefu.fill($('#sessions'), queue.active.length === 0 ? [el('li', { class: 'empty', text: t('no_sessions') })]
      : queue.active.map((s) => el('li', { class: s.openid === selected ? 'selected' : '', dataset: { openid: s.openid } },
        el('button', { type: 'button', class: 'pick', onclick: () => select(s.openid) },
          el('span', { class: 'who', text: s.openid }), ' ',
          el('span', { class: 'muted small', text: s.agent === account() ? t('mine') : t('held_by', s.agent) })),
        unreadBadge(s.openid))));
    const total = [...unread.values()].reduce((a, b) => a + b, 0);
    document.title = (total ? '(' + total + ') ' : '') + 'kefu · ' + t('agent_title');
    tick();
    renderComposer();
  }

  async function acceptUser(openid) {
    try {
      const s = await api('POST', appPath(appid) + '/agents/' + enc(account()) + '/accept', openid ? { openid } : {});
      kefu.status(line, t('accepted_user', s.openid), 'ok');
      await refreshQueue();
      select(s.openid);
      $('#reply').focus();
    } catch (e) {
      fail(e);
    }
  }

  // ---- the selected conversation -------------------------------------------------------------------------------
  async function refreshWindow() {
    if (!appid || !selected) return;
    try {
      windowView = await api('GET', userPath(appid, selected) + '/window');
    } catch (e) {
      windowView = null;
    }
    if (windowOpen()) refusal = '';
    tick();
    renderComposer();
  }

  function select(openid) {
    if (selected !== openid || !conversation) {
      conversation?.close();
      history.replaceChildren();
      windowView = null;
      refusal = '';
      selected = openid;
      kefu.setParams({ user: openid });
      conversation = kefu.stream(userPath(appid, openid) + '/events', {
        ready: async () => {
          const c = await api('GET', userPath(appid, openid) + '/conversation?limit=200').catch(fail);
          if (c && selected === openid) c.messages.forEach((m) => kefu.upsertMessage(history, m, MINE));
          refreshWindow();
        },
        event(name, data) {
          if (name === 'message' && selected === openid) {
            kefu.upsertMessage(history, data, MINE);
            refreshWindow();
          }
        },
      });
    }
    unread.delete(openid);
    $('#conv-title').textContent = openid;
    renderQueue();
  }

  function renderComposer() {
    const reasons = [];
    const s = selected ? sessionOf(selected) : null;
    const state = $('#conv-state');
    state.hidden = !selected;
    state.textContent = s ? t('state_' + s.state) : t('state_none');
    state.className = 'badge' + (s?.state === 'active' ? ' ok' : '');
    if (!selected) {
      reasons.push(t('pick_conversation'));
    } else {
      if (!s) reasons.push(t('no_session'));
      else if (s.state === 'waiting') reasons.push(t('accept_first'));
      else if (s.agent !== account()) reasons.push(t('not_yours', s.agent));
      if (windowView && !windowOpen()) reasons.push(t('window_closed_reason'));
      if (refusal) reasons.push(refusal);
    }
    const disabled = reasons.length > 0;
    $('#reply').disabled = disabled;
    $('#send').disabled = disabled;
    const reason = $('#composer-reason');
    reason.hidden = !disabled;
    reason.textContent = reasons.join(' ');
    $('#close-session').disabled = !s;
  }

  /** Once a second: waiting times and the window's time left, on kefu's clock. */
  function tick() {
    const now = kefu.serverNow();
    for (const w of document.querySelectorAll('#queue .wait')) {
      w.textContent = t('waiting_for', kefu.duration(now / 1000 - Number(w.dataset.since)));
    }
    if (!selected || !windowView) {
      $('#time-left').textContent = t('none');
      $('#sends-left').textContent = t('none');
      return;
    }
    const open = windowOpen();
    $('#time-left').textContent = open ? kefu.duration((windowView.expires_at_ms - now) / 1000) : t('closed');
    $('#sends-left').textContent = String(windowView.remaining);
    if (!open && !$('#reply').disabled) renderComposer();
  }

  // ---- wiring ----------------------------------------------------------------------------------------------------
  function connectApp() {
    agentEvents?.close();
    conversation?.close();
    conversation = null;
    unread.clear();
    if (!appid) return;
    agentEvents = kefu.stream(appPath(appid) + '/agents/events', {
      ready: () => refreshQueue().catch(fail),
      event(name, data) {
        if (name === 'message' && data.openid && data.openid !== selected && data.message?.direction === 'from_user') {
          unread.set(data.openid, (unread.get(data.openid) || 0) + 1);
        }
        refreshQueue().catch(fail);
      },
    });
    loadAgent().catch(fail);
    if (selected) select(selected);
  }

  appSelect.addEventListener('change', () => {
    appid = appSelect.value;
    selected = '';
    kefu.setParams({ app: appid, user: '' });
    history.replaceChildren();
    $('#conv-title').textContent = t('none');
    connectApp();
  });
  accountInput.addEventListener('change', () => {
    kefu.setParams({ agent: account() });
    $('#nickname').value = '';
    loadAgent().catch(fail);
  });
  $('#signin').addEventListener('submit', (e) => {
    e.preventDefault();
    setStatus('online');
  });
  $('#go-offline').addEventListener('click', () => setStatus('offline'));
  $('#accept-next').addEventListener('click', () => acceptUser(''));
  $('#close-session').addEventListener('click', async () => {
    try {
      await api('POST', appPath(appid) + '/sessions/' + enc(selected) + '/close');
      kefu.status(line, t('closed_session', selected), 'ok');
      await refreshQueue();
    } catch (e) {
      fail(e);
    }
  });
  $('#composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('#reply');
    const content = input.value;
    if (!content.trim() || !selected) return;
    try {
      const r = await api('POST', appPath(appid) + '/agents/' + enc(account()) + '/messages',
        { touser: selected, msgtype: 'text', text: { content } });
      input.value = '';
      kefu.upsertMessage(history, {
        msgid: r.msgid, direction: 'from_agent', agent: account(), msgtype: 'text', text: { content },
        created_at_ms: kefu.serverNow(),
      }, MINE);
      input.focus();
    } catch (err) {
      if (err.errcode === 45015) refusal = err.message;
      else fail(err);
      refreshWindow();
      renderComposer();
    }
  });
  $('#reply').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $('#composer').requestSubmit();
    }
  });

  kefu.onClock(() => {
    refreshWindow();
    if (appid) refreshQueue().catch(fail);
  });
  kefu.onLang(() => {
    renderAgent();
    if (selected) {
      history.replaceChildren();
      const s = selected;
      conversation?.close();
      conversation = null;
      select(s);
    }
  });
  window.addEventListener('kefu-token', () => kefu.loadApps(appSelect, appid).then(() => {
    appid = appSelect.value;
    connectApp();
  }).catch(fail));
  setInterval(tick, 1000);

  kefu.init();
  if (kefu.param('agent')) accountInput.value = kefu.param('agent');
  kefu.loadApps(appSelect, kefu.param('app')).then(() => {
    appid = appSelect.value;
    kefu.setParams({ app: appid, agent: account() });
    connectApp();
    renderComposer();
  }).catch(fail);
})();
