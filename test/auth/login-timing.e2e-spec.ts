import { registerUser, uniqueEmail } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// A suite of its own: it needs real bcrypt work (cost 10), and passport keeps one strategy
// registry per process, so each app gets a test file (a module registry) to itself.
describe('Sign-in timing', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ BCRYPT_COST: '10' });
  });
  afterAll(() => t.close());

  it('spends a password check on an unknown email too, so timing does not reveal accounts', async () => {
    const user = await registerUser(t);
    const time = async (email: string): Promise<number> => {
      const started = performance.now();
      await t.api().post('/auth/login').send({ email, password: 'not the password' }).expect(401);
      return performance.now() - started;
    };
    await time(uniqueEmail()); // warm-up; builds the stand-in hash
    const known = Math.min(await time(user.email), await time(user.email), await time(user.email));
    const unknown = Math.min(await time(uniqueEmail()), await time(uniqueEmail()), await time(uniqueEmail()));
    // A bcrypt comparison at cost 10 takes tens of milliseconds; an answer without one, a few.
    expect(known).toBeGreaterThan(10);
    expect(unknown).toBeGreaterThan(known / 3);
  });
});
