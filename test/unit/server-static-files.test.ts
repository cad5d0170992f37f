import { describe, expect, it } from 'vitest';
import { contentTypeFor, rendererFilePath } from '../../common/static-files';

describe('only files inside the built renderer are ever served', () => {
  it('maps URL paths to files of the renderer', () => {
    expect(rendererFilePath('/')).toBe('index.html');
    expect(rendererFilePath('')).toBe('index.html');
    expect(rendererFilePath('/index.html')).toBe('index.html');
    expect(rendererFilePath('/assets/index-abc.js')).toBe('assets/index-abc.js');
    expect(rendererFilePath('//assets//x.css')).toBe('assets/x.css');
    expect(rendererFilePath('/a%20b.txt')).toBe('a b.txt');
  });

  it('refuses every spelling of a way out', () => {
    for (const path of [
      '/../package.json',
      '/assets/../../package.json',
      '/%2e%2e/package.json',
      '/%2E%2E%2Fpackage.json',
      '/assets/..%2f..%2fpackage.json',
      '/./index.html',
      '/..\\package.json',
      '/%5c..%5cpackage.json',
      '/index.html%00.png',
      '/%E0%A4%A',
    ]) {
      expect(rendererFilePath(path), path).toBeNull();
    }
  });
});

describe('files are sent with the content type browsers expect', () => {
  it('names scripts, styles, pages and images, and falls back to bytes', () => {
    expect(contentTypeFor('index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('assets/index-abc.js')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('assets/INDEX.CSS')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('favicon.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('LICENSE')).toBe('application/octet-stream');
    expect(contentTypeFor('archive.tar.gz')).toBe('application/octet-stream');
  });
});
