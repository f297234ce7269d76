/** Worker thread of bench:bo: runs the jobs it is sent (see ../shared/job-pool.ts). */
import { serveJobs } from '../shared/job-worker.js';
import { runJob } from './jobs.js';

serveJobs(runJob);
