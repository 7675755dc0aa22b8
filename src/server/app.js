// The upload page: choose files and documents, then check (problems as a table) or render
// (the zip downloaded as it arrives, the problems found before typesetting shown at once).
'use strict';

const $ = (selector) => document.querySelector(selector);
const TOKEN_KEY = 'dangjian-token';
const LEVELS = { error: '错误', warning: '警告', note: '提示' };
let files = [];

// ---- the token, asked once and kept in this browser ----
function askToken() {
  $('#token-box').hidden = false;
  $('#token').focus();
  return new Promise((resolve) => {
    $('#token-save').onclick = () => {
      localStorage.setItem(TOKEN_KEY, $('#token').value.trim());
      $('#token-box').hidden = true;
      resolve();
    };
  });
}

async function api(path, options = {}) {
  for (;;) {
    const headers = {};
    const token = localStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = 'Bearer ' + token;
    const response = await fetch(path, { ...options, headers });
    if (response.status !== 401) return response;
    await askToken();
  }
}

// ---- files ----
function addFiles(list) {
  for (const file of list) {
    if (!files.some((f) => f.name === file.name && f.size === file.size)) files.push(file);
  }
  showFiles();
}

function showFiles() {
  const ul = $('#file-list');
  ul.replaceChildren();
  files.forEach((file, i) => {
    const li = document.createElement('li');
    li.textContent = `${file.name}（${(file.size / 1024).toFixed(0)} KB）`;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '移除';
    remove.onclick = () => { files.splice(i, 1); showFiles(); };
    li.append(remove);
    ul.append(li);
  });
}

const drop = $('#drop');
drop.onclick = () => $('#files').click();
$('#files').onchange = (e) => { addFiles(e.target.files); e.target.value = ''; };
drop.ondragover = (e) => { e.preventDefault(); drop.classList.add('over'); };
drop.ondragleave = () => drop.classList.remove('over');
drop.ondrop = (e) => { e.preventDefault(); drop.classList.remove('over'); addFiles(e.dataTransfer.files); };

// ---- documents ----
async function loadDocuments() {
  const response = await api('/api/documents');
  const kinds = await response.json();
  const box = $('#documents');
  for (const kind of kinds) {
    const label = document.createElement('label');
    label.title = '每份对应' + kind.made_from;
    label.innerHTML = '<input type="checkbox" name="doc">';
    label.firstChild.value = kind.id;
    label.firstChild.checked = kind.id === 'certificate';
    label.append(' ' + kind.label);
    box.append(label);
  }
  $('#all-docs').onchange = (e) => {
    // 全部 = every document kind; the filing packet (个人档案) joins them per student instead.
    document.querySelectorAll('input[name=doc]').forEach((c) => {
      c.checked = c.value !== 'packet' && e.target.checked;
    });
  };
}

// ---- the request ----
function formData(withDocuments) {
  const form = new FormData();
  for (const file of files) form.append('data', file, file.name);
  if (withDocuments) {
    document.querySelectorAll('input[name=doc]:checked').forEach((c) => form.append('docs', c.value));
    if ($('#year').value.trim()) form.append('year', $('#year').value.trim());
  }
  document.querySelectorAll('#options input[name]').forEach((c) => form.append(c.name, c.checked ? 'true' : 'false'));
  return form;
}

function say(text, isError) {
  $('#message').textContent = text;
  $('#message').className = isError ? 'error' : '';
}

function busy(on, text) {
  $('#render').disabled = on;
  $('#check').disabled = on;
  $('#progress-box').hidden = !on;
  $('#status').textContent = text || '';
}

function showProblems(problems, total, note) {
  const body = $('#problems tbody');
  body.replaceChildren();
  for (const p of problems) {
    const tr = document.createElement('tr');
    const cells = [p.location.text, LEVELS[p.severity] || p.severity, p.message];
    cells.forEach((text, i) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (i === 1) td.className = p.severity;
      tr.append(td);
    });
    body.append(tr);
  }
  $('#problems-box').hidden = total === 0;
  $('#problems-title').textContent = `发现的问题（共 ${total} 条）`;
  $('#problems-note').textContent = note || '';
}

async function refusal(response) {
  let body = {};
  try { body = await response.json(); } catch (e) { body = { 错误: `服务返回 ${response.status}` }; }
  say('错误：' + body['错误'], true);
  if (body.report) showProblems(body.report.problems, body.report.problems.length);
}

function decodeProblems(header) {
  if (!header) return [];
  const bytes = Uint8Array.from(atob(header), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function downloadName(response) {
  const disposition = response.headers.get('content-disposition') || '';
  const match = disposition.match(/filename\*=UTF-8''([^;]+)/);
  return match ? decodeURIComponent(match[1]) : 'dangjian.zip';
}

async function check() {
  if (!files.length) return say('请先选择表格文件', true);
  say('');
  $('#download').hidden = true;
  busy(true, '正在检查…');
  try {
    const response = await api('/api/check', { method: 'POST', body: formData(false) });
    if (!response.ok) return await refusal(response);
    const report = await response.json();
    showProblems(report.problems, report.problems.length);
    const verdict = report.blocked ? '无法生成' : (report.errors ? '有错误的行将不生成文书' : '可以生成');
    say(`检查完成：${report.errors} 个错误，${report.warnings} 个警告（${verdict}）`, report.errors > 0 || !!report.blocked);
  } catch (e) {
    say('连接服务失败：' + e.message, true);
  } finally {
    busy(false);
  }
}

async function render() {
  if (!files.length) return say('请先选择表格文件', true);
  if (!document.querySelector('input[name=doc]:checked')) return say('请至少选择一种文书', true);
  say('');
  $('#download').hidden = true;
  $('#problems-box').hidden = true;
  const started = Date.now();
  busy(true, '正在上传并检查表格…');
  try {
    const response = await api('/api/render', { method: 'POST', body: formData(true) });
    if (!response.ok) return await refusal(response);
    const planned = Number(response.headers.get('x-dangjian-documents'));
    const total = Number(response.headers.get('x-dangjian-problems-total'));
    const shown = decodeProblems(response.headers.get('x-dangjian-problems'));
    showProblems(shown, total, shown.length < total
      ? `仅列出前 ${shown.length} 条；完整列表见压缩包中的 清单.csv，或点「只检查表格」。` : '');
    const reader = response.body.getReader();
    const chunks = [];
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      $('#status').textContent = `正在排版 ${planned} 份文书… 已接收 ${(received / 1048576).toFixed(1)} MB`;
    }
    const blob = new Blob(chunks, { type: 'application/zip' });
    const link = $('#download');
    link.href = URL.createObjectURL(blob);
    link.download = downloadName(response);
    link.textContent = `下载 ${link.download}（${(blob.size / 1048576).toFixed(1)} MB）`;
    link.hidden = false;
    link.click();
    const errors = Number(response.headers.get('x-dangjian-errors'));
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    say(`完成：${planned} 份文书，用时 ${seconds} 秒` + (errors ? `；${errors} 个错误，相应的行未生成文书（见下表和 清单.csv）` : ''), errors > 0);
  } catch (e) {
    say('生成中断：' + e.message, true);
  } finally {
    busy(false);
  }
}

$('#check').onclick = check;
$('#render').onclick = render;
loadDocuments().catch((e) => say('无法读取文书列表：' + e.message, true));
