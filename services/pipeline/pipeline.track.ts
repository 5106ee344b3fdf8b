import type { Priority, Track } from './pipeline.states';

/** stat and asap go to a human at once (the bot never books them); urgent gets the fast track. */
export function trackFor(priority: Priority): Track {
  switch (priority) {
    case 'stat':
    case 'asap':
      return 'human';
    case 'urgent':
      return 'fast';
    case 'routine':
      return 'standard';
  }
}
