import type { Rng } from './prng.js';

/** Fictional test companies: any likeness to a real company is accidental. */
const COMPANY_NAMES: readonly {
  id: string;
  name: string;
  nameEn: string;
  ads: string;
  base: readonly [number, number, number];
}[] = [
  {
    id: 'plzx',
    name: '鹏澜智行科技有限公司',
    nameEn: 'Penglan Zhixing Technology Co., Ltd.',
    ads: 'PLX-Drive',
    base: [3, 4, 0],
  },
  {
    id: 'nlzj',
    name: '南岚智驾科技有限公司',
    nameEn: 'Nanlan Autonomous Driving Co., Ltd.',
    ads: 'NLZJ-ADS',
    base: [2, 8, 1],
  },
  {
    id: 'ltcx',
    name: '莲途出行科技有限公司',
    nameEn: 'Liantu Mobility Technology Co., Ltd.',
    ads: 'LT-Pilot',
    base: [5, 1, 0],
  },
  {
    id: 'qhjs',
    name: '前岚极速智能科技有限公司',
    nameEn: 'Qianlan Jisu Intelligent Co., Ltd.',
    ads: 'QJ-Auto',
    base: [1, 9, 2],
  },
  {
    id: 'xmzl',
    name: '香澜智联科技有限公司',
    nameEn: 'Xianglan Zhilian Technology Co., Ltd.',
    ads: 'XZ-Drive',
    base: [4, 0, 3],
  },
  {
    id: 'swwl',
    name: '深澜未来出行有限公司',
    nameEn: 'Shenlan Future Mobility Co., Ltd.',
    ads: 'SW-ADS',
    base: [2, 2, 0],
  },
  {
    id: 'dmzk',
    name: '梅澜智控科技有限公司',
    nameEn: 'Meilan Zhikong Technology Co., Ltd.',
    ads: 'MZ-Pilot',
    base: [6, 3, 1],
  },
  {
    id: 'hlqc',
    name: '荔澜智能汽车有限公司',
    nameEn: 'Lilan Intelligent Vehicle Co., Ltd.',
    ads: 'LL-Auto',
    base: [3, 0, 0],
  },
];
const MODELS = [
  'BEV sedan robotaxi Gen3',
  'BEV MPV robotaxi Gen2',
  'Hybrid SUV test platform',
  'BEV minibus shuttle',
] as const;
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文';
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭宁龙林欣晨阳博文楠瑶婷倩雪琳晶莹颖慧巧美雅淑惠珍凤洁梅琴云莲真环荣爱妹霞香月莺媛艳瑞凡佳嘉';
/** VIN characters and weights of ISO 3779 (check digit in position 9). */
const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
const VIN_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const VIN_LETTER_VALUES = '12345678123457923456789';

function vinValue(c: string): number {
  const i = VIN_LETTERS.indexOf(c);
  return i >= 0 ? Number(VIN_LETTER_VALUES[i]) : Number(c);
}

export interface Permit {
  readonly number: string;
  readonly kind: 'road_test' | 'driverless_test';
  readonly issued: string;
  readonly expires: string;
  readonly districts: readonly string[];
}

export interface SafetyOfficer {
  readonly id: string;
  readonly name: string;
  /** Aboard as safety driver, or supervising driverless vehicles remotely. */
  readonly role: 'onboard' | 'remote';
}

export interface AdsRelease {
  readonly version: string;
  /** Day index (from the first day) the release was approved. */
  readonly day: number;
}

export interface Company {
  readonly id: string;
  readonly name: string;
  readonly nameEn: string;
  readonly permits: readonly Permit[];
  readonly officers: readonly SafetyOfficer[];
  readonly releases: readonly AdsRelease[];
  /** Position in the fleet: decides which log formats this company's platform exports. */
  readonly index: number;
}

export interface Vehicle {
  readonly id: string;
  readonly companyId: string;
  readonly plate: string;
  readonly vin: string;
  readonly model: string;
  readonly driverless: boolean;
  readonly permit: string;
  /** ADS version in use from each day index on. */
  readonly versions: readonly AdsRelease[];
  /** Relative busyness: multiplies the mean drives per day. */
  readonly utilisation: number;
}

export interface Fleet {
  readonly companies: readonly Company[];
  readonly vehicles: readonly Vehicle[];
}

function version(base: readonly [number, number, number], bump: number): string {
  return `${base[0]}.${base[1] + bump}.${bump === 0 ? base[2] : 0}`;
}

function vinFor(rng: Rng, serial: number): string {
  const pick = (): string => VIN_CHARS[rng.int(0, VIN_CHARS.length - 1)] ?? 'A';
  const chars = [
    'L',
    'S',
    '9',
    pick(),
    pick(),
    pick(),
    pick(),
    pick(),
    '0',
    'T',
    pick(),
    ...String(100000 + serial).slice(-6),
  ];
  let sum = 0;
  chars.forEach((c, i) => (sum += vinValue(c) * (VIN_WEIGHTS[i] ?? 0)));
  const check = sum % 11;
  chars[8] = check === 10 ? 'X' : String(check);
  return chars.join('');
}

/**
 * Companies, their permits, safety officers and ADS releases, and their vehicles. Vehicles are shared out 5:4:3
 * (repeating); the second company of each three runs half its fleet driverless, the third a quarter.
 */
export function buildFleet(rng: Rng, companies: number, vehicles: number, days: number, startYear: number): Fleet {
  const weights = Array.from({ length: companies }, (_, i) => [5, 4, 3][i % 3] ?? 4);
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(1, Math.floor((vehicles * w) / total)));
  for (let i = 0; counts.reduce((a, b) => a + b, 0) < vehicles; i = (i + 1) % companies)
    counts[i] = (counts[i] ?? 0) + 1;
  for (let i = companies - 1; counts.reduce((a, b) => a + b, 0) > vehicles; i = (i + companies - 1) % companies)
    if ((counts[i] ?? 0) > 1) counts[i] = (counts[i] ?? 0) - 1;
  const plates = new Set<string>();
  const names = new Set<string>();
  const outCompanies: Company[] = [];
  const outVehicles: Vehicle[] = [];
  for (let c = 0; c < companies; c++) {
    const crng = rng.fork(`company${c}`);
    const tmpl = COMPANY_NAMES[c] ?? {
      id: `co${String(c + 1).padStart(2, '0')}`,
      name: `测试企业${String(c + 1).padStart(2, '0')}科技有限公司`,
      nameEn: `Test Company ${c + 1} Co., Ltd.`,
      ads: `CO${c + 1}-ADS`,
      base: [1, c % 10, 0] as const,
    };
    const n = counts[c] ?? 1;
    const driverlessShare = [0, 0.5, 0.25][c % 3] ?? 0;
    const driverless = Math.floor(n * driverlessShare);
    const releases: AdsRelease[] = [{ version: `${tmpl.ads}-${version(tmpl.base, 0)}`, day: 0 }];
    if (days >= 14)
      releases.push({
        version: `${tmpl.ads}-${version(tmpl.base, 1)}`,
        day: crng.int(Math.floor(days * 0.3), Math.floor(days * 0.6)),
      });
    const seq = (k: number): string => String(100 + c * 10 + k).padStart(4, '0');
    const permits: Permit[] = [
      {
        number: `SZ-ICV-RT-${startYear}-${seq(0)}`,
        kind: 'road_test',
        issued: `${startYear - 1}-12-15`,
        expires: `${startYear + 1}-12-14`,
        districts: ['福田', '南山'],
      },
    ];
    if (driverless > 0)
      permits.push({
        number: `SZ-ICV-DL-${startYear}-${seq(1)}`,
        kind: 'driverless_test',
        issued: `${startYear}-03-01`,
        expires: `${startYear + 1}-02-28`,
        districts: ['南山'],
      });
    const officers: SafetyOfficer[] = [];
    const onboard = Math.ceil((n - driverless) * 1.5);
    const remote = Math.ceil(driverless / 3);
    for (let i = 0; i < onboard + remote; i++) {
      let name = '';
      do
        name =
          (SURNAMES[crng.int(0, SURNAMES.length - 1)] ?? '王') +
          (GIVEN[crng.int(0, GIVEN.length - 1)] ?? '伟') +
          (crng.chance(0.6) ? (GIVEN[crng.int(0, GIVEN.length - 1)] ?? '') : '');
      while (names.has(name));
      names.add(name);
      officers.push({
        id: `${tmpl.id}-so${String(i + 1).padStart(2, '0')}`,
        name,
        role: i < onboard ? 'onboard' : 'remote',
      });
    }
    outCompanies.push({ id: tmpl.id, name: tmpl.name, nameEn: tmpl.nameEn, permits, officers, releases, index: c });
    const model = MODELS[c % MODELS.length] ?? 'BEV sedan';
    for (let v = 0; v < n; v++) {
      const vrng = crng.fork(`vehicle${v}`);
      let plate = '';
      do plate = `粤B·${vrng.chance(0.7) ? 'D' : 'F'}${String(vrng.int(0, 9999)).padStart(4, '0')}试`;
      while (plates.has(plate));
      plates.add(plate);
      const isDriverless = v >= n - driverless;
      const versions: AdsRelease[] = releases.map((r, i) =>
        i === 0 ? r : { version: r.version, day: r.day + vrng.int(0, 10) },
      );
      outVehicles.push({
        id: `${tmpl.id}-v${String(v + 1).padStart(2, '0')}`,
        companyId: tmpl.id,
        plate,
        vin: vinFor(vrng, outVehicles.length + 1),
        model,
        driverless: isDriverless,
        permit: (isDriverless ? permits[1] : permits[0])?.number ?? '',
        versions,
        utilisation: vrng.range(0.6, 1.4),
      });
    }
  }
  return { companies: outCompanies, vehicles: outVehicles };
}

export function adsVersionOn(vehicle: Vehicle, day: number): string {
  let current = vehicle.versions[0]?.version ?? 'unknown';
  for (const r of vehicle.versions) if (r.day <= day) current = r.version;
  return current;
}
