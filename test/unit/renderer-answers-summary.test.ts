import { describe, expect, it } from 'vitest';
import { answersSummary } from '../../renderer/generations/answers-summary';

describe("a generation's recorded answers, as its detail shows them", () => {
  it('names the desktop and the services as the form does', () => {
    expect(
      answersSummary({
        profile: 'essential',
        desktop: 'gnome',
        services: ['openssh', 'printing'],
        channel: 'stable',
      }),
    ).toBe(
      'essential packages · GNOME desktop · services: SSH server, Printing (CUPS) · stable channel',
    );
  });

  it('says no desktop, and keeps an id it does not know as it was recorded', () => {
    expect(answersSummary({ desktop: 'none', services: ['openssh', 'cosmic-thing'] })).toBe(
      'no desktop · services: SSH server, cosmic-thing',
    );
  });

  it('says the answers were recorded when none of these is among them', () => {
    expect(answersSummary({ hostName: 'desk' })).toBe('recorded');
  });
});
