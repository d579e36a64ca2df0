// The dashboard shell: sign-in with an API token, hash routes (#/, #/institution/ID, #/cluster/ID,
// #/job/ID), and live updates — the current page re-renders every 10 s while the tab is visible.
import { ApiError, get, setToken, signOut, token } from './api.js';
import { esc } from './format.js';
import { renderOverview } from './view-overview.js';
import { renderInstitution } from './view-institution.js';
import { renderCluster } from './view-cluster.js';
import { renderJob } from './view-job.js';

const REFRESH_MS = 10_000;
const $ = (id) => document.getElementById(id);
let me = null;
let timer = null;

function route() {
  const [, page = '', id = ''] = (location.hash || '#/').split('/');
  return { page: page || 'overview', id: decodeURIComponent(id) };
}

async function render(focus) {
  const { page, id } = route();
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === page || (a.dataset.nav === 'cluster' && page === 'clusters')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const view = $('view');
  const ctx = { me, id, go: (hash) => (location.hash = hash) };
  try {
    const pages = { overview: renderOverview, institution: renderInstitution, clusters: renderCluster, cluster: renderCluster, job: renderJob };
    const title = await (pages[page] ?? renderOverview)(view, ctx);
    // Widths and colours arrive as data attributes and are applied through the CSSOM: the page's CSP forbids inline styles.
    for (const n of view.querySelectorAll('[data-w]')) n.style.width = `${n.dataset.w}%`;
    for (const n of view.querySelectorAll('[data-bg]')) n.style.background = n.dataset.bg;
    document.title = `${title} — ncg`;
    $('updated').textContent = `Updated ${new Date().toLocaleTimeString('en-GB', { timeZone: 'UTC' })} UTC · refreshes every ${REFRESH_MS / 1000} s`;
    if (focus) $('main').focus();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return showSignIn('That token is unknown, revoked or expired.');
    view.innerHTML = `<div class="card" role="alert"><h1>Could not load this page</h1><p>${esc(e.message)}</p></div>`;
  }
}

function showSignIn(message = '') {
  signOut();
  clearInterval(timer);
  $('signin').hidden = false;
  $('nav').hidden = true;
  $('view').innerHTML = '';
  $('who').innerHTML = '';
  $('signin-error').textContent = message;
  $('token').focus();
}

async function start() {
  try {
    me = await get('/dashboard/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return showSignIn(token() ? 'That token is unknown, revoked or expired.' : '');
    throw e;
  }
  $('signin').hidden = true;
  $('nav').hidden = false;
  document.querySelector('[data-nav="institution"]').href = `#/institution/${encodeURIComponent(me.institutionId)}`;
  $('who').innerHTML = `<span>${esc(me.userId)} · ${esc(me.roles.join(', '))}</span><button type="button" id="signout">Sign out</button>`;
  $('signout').addEventListener('click', () => showSignIn());
  // The first page keeps focus at the top (the skip link is the first Tab); later navigations move it to main.
  await render(false);
  clearInterval(timer);
  timer = setInterval(() => document.visibilityState === 'visible' && render(false), REFRESH_MS);
}

$('signin-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  setToken($('token').value.trim());
  $('token').value = '';
  start();
});
window.addEventListener('hashchange', () => me && render(true));
if (token()) start();
else showSignIn();
