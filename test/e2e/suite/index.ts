import * as path from 'path';
import Mocha from 'mocha';

/**
 * Entry point VS Code calls inside the extension host (extensionTestsPath). Prints the
 * closing line our runners read, and rejects on failure so the host exits non-zero.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 90000, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'extension.itest.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures) reject(new Error(`${failures} extension test(s) failed`));
      else resolve();
    }).on('end', function (this: Mocha.Runner) {
      console.log(`${this.stats?.passes ?? 0} passed, ${this.stats?.failures ?? 0} failed`);
    });
  });
}
