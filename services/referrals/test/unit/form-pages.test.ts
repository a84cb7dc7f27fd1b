/**
 * The referral form's pages rendered from their templates, without a browser: every page in the
 * public layout with GOV.UK's "Exit this page", titles as GOV.UK words them ("Error: " first when
 * the page shows errors), the error summary linking to fields that are on the page, the draft's
 * CSRF token in every form, and whatever a referrer typed shown as text, never as markup.
 */
import { createPageRenderer } from '@fsp/shared/web/page';
import fc from 'fast-check';
import * as pages from '../../src/web/form-pages';
import { PRECOMPILED_TEMPLATES } from '../../src/web/precompiled/refer';
import type { DraftAnswers, FormError, RawForm } from '../../src/web/steps';

const renderer = createPageRenderer(PRECOMPILED_TEMPLATES, { stage: 'prod' });
const render = (view: pages.FormPage) => renderer.renderPage(view.template, view.layout, view.data);

const ctx = (values: RawForm = {}, errors: FormError[] = []): pages.FormContext => ({
  csrfToken: 'token-123',
  action: '/refer/step',
  backLink: '/refer',
  errors,
  values,
});

const ANSWERS: DraftAnswers = {
  referralSource: '2A',
  aboutYou: { name: 'Amara Okafor', email: 'amara@example.org' },
  children: [
    {
      firstName: 'Mia',
      lastName: 'Jones',
      born: 'yes',
      dateOfBirth: '2018-03-14',
      addressLine1: '1 Example Street',
      town: 'Exampleton',
      postcode: 'EX1 2AB',
    },
  ],
  adultsKnown: 'yes',
  adults: [{ firstName: 'Kerry', lastName: 'Jones', relationship: 'mother' }],
  concerns: { whatHappened: 'First line\r\nSecond line', whyNow: 'Worse', factors: ['3B', '17A'] },
  consent: { familyKnows: 'yes', consentGiven: 'no', withoutConsentReason: 'Risk' },
};

const FORM_STEPS: Record<string, (c: pages.FormContext) => pages.FormPage> = {
  'who are you': (c) => pages.whoYouArePage(c),
  'which professional': (c) => pages.whichDescribesYouPage(c, 'professional'),
  'which member of the public': (c) => pages.whichDescribesYouPage(c, 'public'),
  'about you': (c) => pages.aboutYouPage(c),
  'a child': (c) => pages.childPage(c, 1),
  'the children': (c) => pages.childrenPage(c, ANSWERS.children, true),
  'adults or not': (c) => pages.adultsPage(c, [], true),
  'the adults': (c) => pages.adultsPage(c, ANSWERS.adults, true),
  'an adult': (c) => pages.adultPage(c, 2),
  'what is happening': (c) => pages.concernsPage(c),
  consent: (c) => pages.consentPage(c),
  'check your answers': (c) => pages.checkAnswersPage(c, ANSWERS),
};
const OTHER_PAGES: Record<string, pages.FormPage> = {
  start: pages.startPage(),
  confirmation: pages.confirmationPage('FSP-2026-7K3M9Q', { anonymous: false }),
  sending: pages.sendingPage(),
  problem: pages.problemPage('Page not found', 'If you typed the web address, check it is correct.'),
};

describe('the referral form’s pages', () => {
  it.each(Object.entries({ ...Object.fromEntries(Object.entries(FORM_STEPS).map(([name, page]) => [name, page(ctx())])), ...OTHER_PAGES }))(
    '%s: the public layout, with "Exit this page" and the service’s name in the title',
    (_, view) => {
      const page = render(view);
      expect(page).toMatch(/<a href="[^"]+"[^>]*class="govuk-button govuk-button--warning govuk-exit-this-page__button/);
      expect(page).toContain(`<title>${view.layout.title} – Refer a child to children’s services</title>`);
      expect(page).toContain('If a child is in immediate danger, call 999.');
      // No worker navigation, nobody signed in.
      expect(page).not.toContain('moj-identity-bar');
    },
  );

  it.each(Object.entries(FORM_STEPS))('%s: posts back with the draft’s CSRF token', (_, step) => {
    expect(render(step(ctx()))).toContain('<input type="hidden" name="csrfToken" value="token-123">');
  });

  it('prefixes the title with "Error: " and links each error to a field on the page', () => {
    const cases: [string, pages.FormPage, string[]][] = [
      ['who are you', pages.whoYouArePage(ctx({}, [{ field: 'referrerType', message: 'Select one' }])), ['referrerType']],
      [
        'a child',
        pages.childPage(
          ctx({}, [
            { field: 'lastName', message: 'Enter the child’s last name' },
            { field: 'dateOfBirth', message: 'Date of birth must be a real date' },
            { field: 'expectedDateOfBirth', message: 'Enter the expected date of birth' },
          ]),
          1,
        ),
        ['lastName', 'dateOfBirth-day', 'expectedDateOfBirth-day'],
      ],
      ['what is happening', pages.concernsPage(ctx({}, [{ field: 'factors', message: 'Select the concerns' }])), ['factors']],
    ];
    for (const [name, view, ids] of cases) {
      const page = render(view);
      expect({ name, title: /<title>[^<]*/.exec(page)?.[0] }).toEqual({ name, title: expect.stringMatching(/^<title>Error: /) });
      const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(page)?.[0] ?? '';
      expect([...summary.matchAll(/<a href="#([^"]+)"/g)].map((m) => m[1])).toEqual(ids);
      for (const id of ids) expect(page).toContain(`id="${id}"`);
    }
  });

  it('keeps the answers given: the first question worked out from the source, checked choices, the factors ticked', () => {
    expect(render(pages.whoYouArePage(ctx({ referrerType: 'public' })))).toMatch(/value="public" checked/);
    expect(render(pages.whichDescribesYouPage(ctx({ referralSource: '6' }), 'professional'))).toMatch(/value="6" checked/);
    const concerns = render(pages.concernsPage(ctx({ factors: ['3B', '17A'] })));
    expect(concerns.match(/ checked/g)).toHaveLength(2);
    expect(concerns).toMatch(/id="factors-3B"[^>]*value="3B" checked/);
    // "None of these" clears the others in the browser, whichever group they are in.
    expect(concerns).toMatch(/id="factors-21"[^>]*value="21" data-behaviour="exclusive"/);
  });

  it('shows whatever a referrer typed as text, in fields and on check your answers', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), (typed) => {
        const hostile = `<script>alert(1)</script>${typed}"'&`;
        const about = render(pages.aboutYouPage(ctx({ name: hostile, email: hostile })));
        const check = render(
          pages.checkAnswersPage(ctx(), {
            ...ANSWERS,
            aboutYou: { name: hostile, email: 'a@example.org' },
            concerns: { whatHappened: hostile, whyNow: hostile, factors: ['21'] },
          }),
        );
        for (const page of [about, check]) {
          expect(page).not.toContain('<script>alert(1)</script>');
          expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        }
      }),
      { numRuns: 50 },
    );
  });

  it('keeps a referrer’s line breaks on check your answers, and an anonymous referrer is told nobody will contact them', () => {
    expect(render(pages.checkAnswersPage(ctx(), ANSWERS))).toMatch(/First line<br \/>\s*Second line/);
    const anonymous = render(pages.checkAnswersPage(ctx(), { ...ANSWERS, referralSource: '9', aboutYou: undefined }));
    expect(anonymous).toContain('I would rather not say (an anonymous referral)');
    expect(anonymous).toContain('You are referring anonymously');
    expect(anonymous).not.toContain('Email address');
  });
});
