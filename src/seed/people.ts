/**
 * Projects and people of the seed: 2–3 research projects per institution, two researchers per project,
 * one institution admin each, a CoE operator per site and one national admin. Names come from a
 * fixed-seed PRNG over common Pakistani given and family names, so every run yields the same people.
 */
import type { Institution, Project, User } from '../domain/types.js';
import type { SeedSite } from './grid-sites.js';
import { seededPrng, type Prng } from './prng.js';

/** Research themes of national AI priority; project ids are `<institution>-<slug>`. */
const TOPICS: readonly [slug: string, title: string][] = [
  ['urdu-llm', 'Urdu and regional-language LLMs'],
  ['medical-imaging', 'Medical imaging diagnostics'],
  ['monsoon', 'Monsoon and climate modelling'],
  ['crop-yield', 'Crop yield from remote sensing'],
  ['flood-forecast', 'Flood forecasting'],
  ['speech', 'Speech recognition for Pakistani languages'],
  ['materials', 'Materials discovery'],
  ['genomics', 'Genomics and protein structure'],
  ['smart-city', 'Computer vision for smart cities'],
  ['grid-load', 'Power grid load forecasting'],
  ['seismic', 'Seismic hazard modelling'],
  ['fraud', 'Financial fraud detection'],
  ['robotics', 'Robotics and autonomous systems'],
  ['textile-qc', 'Textile defect detection'],
  ['glacier', 'Glacier melt and water resources'],
];

const GIVEN = ['Ayesha', 'Ali', 'Fatima', 'Hamza', 'Zainab', 'Usman', 'Maryam', 'Bilal', 'Hira', 'Saad', 'Sana', 'Omar', 'Amna', 'Hassan', 'Iqra', 'Faisal', 'Mahnoor', 'Imran', 'Rabia', 'Asad', 'Noor', 'Kamran', 'Sadia', 'Tariq', 'Mehwish', 'Adeel', 'Saima', 'Junaid', 'Khadija', 'Waqas'];
const FAMILY = ['Khan', 'Ahmed', 'Malik', 'Hussain', 'Qureshi', 'Sheikh', 'Baloch', 'Butt', 'Chaudhry', 'Siddiqui', 'Raza', 'Abbasi', 'Memon', 'Shah', 'Yousafzai', 'Mirza', 'Javed', 'Akhtar', 'Iqbal', 'Bhatti', 'Soomro', 'Kakar', 'Afridi', 'Rana', 'Jamali'];

/** Fixed seed of the name generator ("ncg" in ASCII). */
const NAME_SEED = 0x6e6367;

/** Projects, users and memberships generated for the seed. */
export interface SeedPeople {
  projects: Project[];
  users: User[];
  projectMembers: { projectId: string; userId: string }[];
}

/** Build every project and person. The national admin and site operators live at host institutions (a user needs one). */
export function seedPeople(institutions: readonly Institution[], sites: readonly SeedSite[]): SeedPeople {
  const prng = seededPrng(NAME_SEED);
  const emails = new Set<string>();
  const person = (domain: string) => newPerson(prng, emails, domain);
  const out: SeedPeople = { projects: [], users: [], projectMembers: [] };

  out.users.push({ id: 'national-admin', institutionId: 'nust', ...person('ncg.gov.pk'), roles: ['national-admin'] });
  for (const site of sites) {
    out.users.push({ id: `op-${site.id}`, institutionId: site.hostInstitutionId, ...person('ncg.gov.pk'), roles: ['coe-operator'], operatorSiteIds: [site.id] });
  }

  institutions.forEach((inst, k) => {
    const domain = `${inst.id}.edu.pk`;
    out.users.push({ id: `${inst.id}-admin`, institutionId: inst.id, ...person(domain), roles: ['institution-admin'] });
    // Larger institutions run three projects; offsets 0, 5, 10 keep an institution's topics distinct.
    const count = inst.shares >= 3 ? 3 : 2;
    const projects = Array.from({ length: count }, (_, i): Project => {
      const [slug, title] = TOPICS[(k + i * 5) % TOPICS.length]!;
      return { id: `${inst.id}-${slug}`, institutionId: inst.id, name: `${inst.shortName}: ${title}`, shares: i === 0 ? 2 : 1 };
    });
    out.projects.push(...projects);
    projects.forEach((project, i) => {
      for (let r = 1; r <= 2; r++) {
        const id = `${inst.id}-r${String(i * 2 + r).padStart(2, '0')}`;
        out.users.push({ id, institutionId: inst.id, ...person(domain), roles: ['researcher'] });
        out.projectMembers.push({ projectId: project.id, userId: id });
      }
    });
    // Each project's lead also works on the institution's next project: users in two projects are common.
    projects.forEach((_, i) => {
      const next = projects[(i + 1) % projects.length]!;
      out.projectMembers.push({ projectId: next.id, userId: `${inst.id}-r${String(i * 2 + 1).padStart(2, '0')}` });
    });
  });
  return out;
}

/** A name and an email unique across the seed (a numeric suffix breaks ties). */
function newPerson(prng: Prng, emails: Set<string>, domain: string): { name: string; email: string } {
  const given = prng.pick(GIVEN);
  const family = prng.pick(FAMILY);
  const local = `${given}.${family}`.toLowerCase();
  let email = `${local}@${domain}`;
  for (let n = 2; emails.has(email); n++) email = `${local}${n}@${domain}`;
  emails.add(email);
  return { name: `${given} ${family}`, email };
}
