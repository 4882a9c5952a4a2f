// /phone: the simulated WeChat user. State lives in the URL (?app=…&user=…), so each tab is its own phone.
'use strict';

kefu.addStrings({
  zh: {
    phone_title: '模拟手机', phone_intro: '小程序用户看到的客服消息会话。每个标签页一部手机，状态在网址里。',
    user: '用户 (openid)', new_user: '新用户', enter: '进入会话', window: '发送窗口', no_users: '没有用户',
    message: '消息', type_here: '输入消息…', send: '发送', image: '图片', mp_card_button: '小程序卡片',
    card_title: '卡片标题', send_card: '发送卡片', cancel: '取消', phone_label: '手机', conversation: '会话',
    window_open: '开放 · 剩余 {0} 次 · {1}', window_closed: '已关闭（开发者无法发送客服消息）',
    image_too_big: '图片超过 10 MB', sent_failed: '发送失败：{0}', pick_user: '先选择或新建一个用户',
    entered_ok: '已进入会话', user_created: '新用户 {0}',
  },
  en: {
    phone_title: 'Simulated phone',
    phone_intro: 'The 客服消息 chat as the mini-program user sees it. One phone per tab; the state is in the URL.',
    user: 'User (openid)', new_user: 'New user', enter: 'Enter chat', window: 'Send window', no_users: 'No users',
    message: 'Message', type_here: 'Type a message…', send: 'Send', image: 'Image', mp_card_button: '小程序 card',
    card_title: 'Card title', send_card: 'Send card', cancel: 'Cancel', phone_label: 'Phone',
    conversation: 'Conversation', window_open: 'open · {0} sends left · {1}',
    window_closed: 'closed (the developer cannot send 客服消息)', image_too_big: 'The image is larger than 10 MB',
    sent_failed: 'Not sent: {0}', pick_user: 'Pick or create a user first', entered_ok: 'Entered the chat',
    user_created: 'New user {0}',
  },
});

(() => {
  const { $, el, t, api, appPath, userPath } = kefu;
  const MINE = ['from_user'];
  const appSelect = $('#app');
  const userSelect = $('#user');
  const list = $('#messages');
  const statusLine = $('#phone-status');
  let appid = '';
  let openid = '';
  let events = null;
  let windowView = null;
  let typing = { typing: false, until_ms: 0 };

  function fail(e) {
    kefu.status(statusLine, t('sent_failed', e.message), 'error');
  }

  async function loadUsers(wanted) {
    const { users } = await api('GET', appPath(appid) + '/users');
    kefu.fill(userSelect, users.map((u) => el('option', { value: u.openid, text: u.nickname ? u.openid + ' · ' + u.nickname : u.openid })));
    if (users.length === 0) userSelect.append(el('option', { value: '', text: t('no_users') }));
    userSelect.value = users.some((u) => u.openid === wanted) ? wanted : (users[0]?.openid || '');
    return userSelect.value;
  }

  function renderWindow() {
    const node = $('#window-state');
    if (!windowView) {
      node.textContent = t('none');
      return;
    }
    const left = windowView.expires_at_ms === null ? 0 : (windowView.expires_at_ms - kefu.serverNow()) / 1000;
    node.textContent = windowView.open && left > 0
      ? t('window_open', windowView.remaining, kefu.duration(left))
      : t('window_closed');
  }

  function renderTyping() {
    $('#typing').hidden = !(typing.typing && typing.until_ms > kefu.serverNow());
  }

  async function refreshWindow() {
    if (!openid) return;
    try {
      windowView = await api('GET', userPath(appid, openid) + '/window');
    } catch (e) {
      windowView = null;
    }
    renderWindow();
  }

  async function loadConversation() {
    const c = await api('GET', userPath(appid, openid) + '/conversation?limit=200');
    for (const m of c.messages) kefu.upsertMessage(list, m, MINE);
    typing = c.typing;
    renderTyping();
    refreshWindow();
  }

  function connect() {
    events?.close();
    events = null;
    list.replaceChildren();
    windowView = null;
    typing = { typing: false, until_ms: 0 };
    renderWindow();
    renderTyping();
    $('#phone-sub').textContent = openid ? appid + ' · ' + openid : '';
    if (!openid) return;
    events = kefu.stream(userPath(appid, openid) + '/events', {
      ready: () => loadConversation().then(() => { list.dataset.live = 'true'; }).catch(fail),
      down: () => { list.dataset.live = 'false'; },
      event(name, data) {
        if (name === 'message') {
          kefu.upsertMessage(list, data, MINE);
          if (data.direction !== 'from_user') typing = { typing: false, until_ms: 0 };
          renderTyping();
          refreshWindow();
        } else if (name === 'typing') {
          typing = data;
          renderTyping();
        } else if (name === 'enter') {
          list.append(el('li', { class: 'msg event' },
            el('div', { class: 'bubble', text: t('entered', data.session_from || '""') })));
          list.scrollTop = list.scrollHeight;
          refreshWindow();
        }
      },
    });
  }

  async function selectApp(wanted) {
    appid = appSelect.value;
    openid = appid ? await loadUsers(wanted) : '';
    kefu.setParams({ app: appid, user: openid });
    connect();
  }

  async function send(body, local) {
    if (!openid) {
      kefu.status(statusLine, t('pick_user'), 'error');
      return false;
    }
    try {
      const r = await api('POST', userPath(appid, openid) + '/messages', body);
      kefu.status(statusLine, '');
      if (local) {
        kefu.upsertMessage(list, { ...body, msgid: r.msgid, direction: 'from_user', created_at_ms: kefu.serverNow() },
          MINE);
      }
      windowView = r.window;
      renderWindow();
      return true;
    } catch (e) {
      fail(e);
      return false;
    }
  }

  appSelect.addEventListener('change', () => selectApp('').catch(fail));
  userSelect.addEventListener('change', () => {
    openid = userSelect.value;
    kefu.setParams({ user: openid });
    connect();
  });

  $('#new-user').addEventListener('click', async () => {
    try {
      const r = await api('POST', appPath(appid) + '/users', {});
      openid = await loadUsers(r.openid);
      kefu.setParams({ user: openid });
      kefu.status(statusLine, t('user_created', r.openid), 'ok');
      connect();
      $('#text').focus();
    } catch (e) {
      fail(e);
    }
  });

  $('#enter-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!openid) {
      kefu.status(statusLine, t('pick_user'), 'error');
      return;
    }
    try {
      const r = await api('POST', userPath(appid, openid) + '/enter', { session_from: $('#session-from').value });
      windowView = r.window;
      renderWindow();
      kefu.status(statusLine, t('entered_ok'), 'ok');
    } catch (err) {
      fail(err);
    }
  });

  $('#composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = $('#text');
    const content = input.value;
    if (!content.trim()) return;
    if (await send({ msgtype: 'text', text: { content } }, true)) input.value = '';
    input.focus();
  });

  $('#image-button').addEventListener('click', () => $('#image-input').click());
  $('#image-input').addEventListener('change', async (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > 10 * 1024 * 1024) {
      kefu.status(statusLine, t('image_too_big'), 'error');
      return;
    }
    const dataUrl = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
    // the image appears when its live event comes back with the media_id kefu gave it
    await send({ msgtype: 'image', image: { data_base64: String(dataUrl).replace(/^data:[^,]*,/, '') } }, false);
  });

  $('#card-button').addEventListener('click', () => {
    $('#card-form').hidden = false;
    $('#card-title').focus();
  });
  $('#card-cancel').addEventListener('click', () => {
    $('#card-form').hidden = true;
    $('#card-button').focus();
  });
  $('#card-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const ok = await send({
      msgtype: 'miniprogrampage',
      miniprogrampage: { title: $('#card-title').value, pagepath: $('#card-path').value, thumb_media_id: $('#card-thumb').value },
    }, true);
    if (ok) {
      $('#card-form').hidden = true;
      $('#card-title').value = '';
      $('#card-button').focus();
    }
  });

  kefu.onClock(() => {
    refreshWindow();
    renderTyping();
  });
  kefu.onLang(() => {
    renderWindow();
    if (openid) {
      list.replaceChildren();
      loadConversation().catch(fail);
    }
  });
  window.addEventListener('kefu-token', () => kefu.loadApps(appSelect, appid).then(() => selectApp(openid)).catch(fail));
  setInterval(() => {
    renderWindow();
    renderTyping();
  }, 1000);

  kefu.init();
  kefu.loadApps(appSelect, kefu.param('app')).then(() => selectApp(kefu.param('user'))).catch(fail);
})();
