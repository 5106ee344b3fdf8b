import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSiteConfig } from '../../bot/config';
import { parseEnv } from '../../services/config/env.schema';
import { needsPriorAuthorization } from '../../services/config/site.schema';
import { exampleSite, ROOT } from '../support/test-app';
import { sideAnswer, sideQuestion } from '../../dialogs/patient/side-questions';

describe('environment', () => {
  test('defaults fill in when nothing is set', () => {
    const r = parseEnv({});
    expect(r).toMatchObject({
      ok: true,
      value: { PORT: 3978, PUBLIC_BASE_URL: 'http://localhost:3978', SMS_TRANSPORT: 'log', NLU: 'rules', NODE_ENV: 'development' },
    });
  });

  test('REDIS_PREFIX: iib: by default, another deployment its own, a prefix that could collide refused', () => {
    expect(parseEnv({})).toMatchObject({ ok: true, value: { REDIS_PREFIX: 'iib:' } });
    expect(parseEnv({ REDIS_PREFIX: 'clinic-b:' })).toMatchObject({ ok: true, value: { REDIS_PREFIX: 'clinic-b:' } });
    for (const bad of ['iib', 'a b:', '*:', '']) {
      const r = parseEnv({ REDIS_PREFIX: bad });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(/REDIS_PREFIX: must be letters/);
    }
  });

  test('PORT=abc is refused naming PORT', () => {
    const r = parseEnv({ PORT: 'abc' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/PORT: must be a whole number/);
  });

  test('credentials switch the defaults to twilio and openai', () => {
    const r = parseEnv({ TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'x', TWILIO_FROM_NUMBER: '+15125550199', OPENAI_API_KEY: 'sk-test' });
    expect(r).toMatchObject({ ok: true, value: { SMS_TRANSPORT: 'twilio', NLU: 'openai' } });
  });

  test('Twilio credentials without a sender are refused naming TWILIO_FROM_NUMBER', () => {
    const r = parseEnv({ TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'x' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('TWILIO_FROM_NUMBER');
  });

  test('production refuses unsafe settings, naming each variable', () => {
    const r = parseEnv({ NODE_ENV: 'production' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain('PHONE_HASH_KEY');
      expect(r.error.message).toContain('MONGODB_URI');
      expect(r.error.message).toContain('MicrosoftAppId');
      expect(r.error.message).toContain('TWILIO_AUTH_TOKEN');
    }
  });

  test('production refuses a short or development PHONE_HASH_KEY; NODE_ENV takes only known values', () => {
    const base = { NODE_ENV: 'production', MONGODB_URI: 'mongodb://db.example/x', REDIS_URL: 'redis://cache.example:6379', PUBLIC_BASE_URL: 'https://intake.example.org', MicrosoftAppId: 'app', TWILIO_AUTH_TOKEN: 'f'.repeat(32), TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`, TWILIO_FROM_NUMBER: '+15125550100' };
    const short = parseEnv({ ...base, PHONE_HASH_KEY: 'x' });
    expect(!short.ok && short.error.message).toContain('PHONE_HASH_KEY: must be a secret of at least 32 bytes');
    expect(parseEnv({ ...base, PHONE_HASH_KEY: 'a-production-secret-of-32-bytes-or-more' }).ok).toBe(true);
    const weak = parseEnv({ ...base, PHONE_HASH_KEY: 'a-production-secret-of-32-bytes-or-more', TWILIO_AUTH_TOKEN: 'x', PUBLIC_BASE_URL: 'http://intake.example.org', REDIS_URL: '' });
    expect(weak.ok).toBe(false);
    expect(!weak.ok && weak.error.details).toEqual([
      "TWILIO_AUTH_TOKEN: must be the account's auth token (32 characters) when NODE_ENV=production",
      'PUBLIC_BASE_URL: must be the https:// address Twilio and browsers reach when NODE_ENV=production',
      'REDIS_URL: must be set when NODE_ENV=production (no local Redis in production)',
    ]);
    for (const v of ['prod', 'Production', 'staging']) {
      const r = parseEnv({ NODE_ENV: v });
      expect(!r.ok && r.error.message).toContain('NODE_ENV: must be development, test or production');
    }
  });

  test('bad URLs and enums are named', () => {
    const r = parseEnv({ MONGODB_URI: 'postgres://x', SMS_TRANSPORT: 'pigeon' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain('MONGODB_URI');
      expect(r.error.message).toContain('SMS_TRANSPORT');
    }
  });
});

describe('site configuration', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'site-'));
  const example = () => JSON.parse(readFileSync(path.join(ROOT, 'config/example-center.json'), 'utf8'));

  test('the shipped example is valid and covers every modality the issue names', () => {
    const site = exampleSite();
    expect(new Set(site.scanners.map((s) => s.modality))).toEqual(new Set(['mri', 'ct', 'ultrasound', 'mammography', 'xray', 'dexa']));
    expect(site.center.timeZone).toBe('America/Chicago');
  });

  test('a scanner missing its modality is refused naming that field', () => {
    const cfg = example();
    delete cfg.scanners[2].modality;
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(cfg));
    const r = loadSiteConfig(file, ROOT);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('scanners[2].modality: Required');
  });

  test('an unknown time zone and a bad time are named', () => {
    const cfg = example();
    cfg.center.timeZone = 'Mars/Olympus';
    cfg.quietHours.care.sendFrom = '25:00';
    const file = path.join(dir, 'bad2.json');
    writeFileSync(file, JSON.stringify(cfg));
    const r = loadSiteConfig(file, ROOT);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain('center.timeZone');
      expect(r.error.message).toContain('quietHours.care.sendFrom');
    }
  });

  test('a new FAQ topic is config only: its words and its answer; without them it is refused, naming what is missing', () => {
    const cfg = example();
    cfg.faq.wifi = { words: { en: ['wifi', 'wi-fi'], es: ['internet inalambrico'] }, text: { en: 'Guest wifi: Bluebonnet-Guest, no password.', es: 'Wifi de visitas: Bluebonnet-Guest, sin contraseña.' } };
    cfg.faq.snacks = { text: { en: 'There is a vending machine.', es: 'Hay una máquina expendedora.' } };
    const file = path.join(dir, 'faq.json');
    writeFileSync(file, JSON.stringify(cfg));
    const r = loadSiteConfig(file, ROOT);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('faq.snacks.words: topic snacks is not built in: give the words that ask about it');
    delete cfg.faq.snacks;
    writeFileSync(file, JSON.stringify(cfg));
    const good = loadSiteConfig(file, ROOT);
    expect(good.ok).toBe(true);
    if (!good.ok) return;
    expect(sideQuestion('do you have wifi while i wait?', good.value)).toBe('wifi');
    expect(sideAnswer(good.value, 'wifi', 'es', null)).toBe('Wifi de visitas: Bluebonnet-Guest, sin contraseña.');
    expect(sideQuestion('¿tienen internet inalámbrico?', good.value)).toBe('wifi');
  });

  test('a file that is not JSON is refused with the reason', () => {
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ "center": ');
    const r = loadSiteConfig(file, ROOT);
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_SITE_CONFIG' } });
  });

  test('prior authorization follows the payer rules, aliases, the default, and never self-pay', () => {
    const site = exampleSite();
    expect(needsPriorAuthorization(site, 'mri', 'Aetna')).toBe(true);
    expect(needsPriorAuthorization(site, 'xray', 'Aetna')).toBe(false);
    expect(needsPriorAuthorization(site, 'ct', 'uhc')).toBe(true);
    expect(needsPriorAuthorization(site, 'mri', 'Medicare')).toBe(false);
    expect(needsPriorAuthorization(site, 'mri', 'Unknown Health Plan')).toBe(true);
    expect(needsPriorAuthorization(site, 'mri', null)).toBe(false);
  });
});
