import type { Label, Lang } from './label.js';

/**
 * Terms of the cause and counterpart codes operators log (free text in real logs; these are the codes the demo
 * fleet writes and the common ones seen in operators' logs). A code without a term is printed as written, its
 * underscores read as spaces (`causeTerm`).
 */
export const CAUSE_LABELS: Readonly<Record<string, Label>> = {
  // takeovers by the safety driver
  unexpected_road_user: { zh: '意外出现的道路使用者', en: 'unexpected road user' },
  perception_uncertainty: { zh: '感知不确定', en: 'perception uncertainty' },
  planning_hesitation: { zh: '规划犹豫', en: 'planning hesitation' },
  construction_cones: { zh: '施工锥桶', en: 'construction cones' },
  aggressive_cut_in: { zh: '他车强行加塞', en: 'aggressive cut-in' },
  precautionary: { zh: '预防性接管', en: 'precautionary' },
  illegal_parking_blocking_lane: { zh: '违停占道', en: 'illegal parking blocking the lane' },
  traffic_police_gesture: { zh: '交警手势指挥', en: 'traffic police gesture' },
  // remote operators
  blocked_lane: { zh: '车道受阻', en: 'blocked lane' },
  vehicle_stuck: { zh: '车辆受困', en: 'vehicle stuck' },
  unprotected_left_turn_deadlock: { zh: '无保护左转僵局', en: 'unprotected left-turn deadlock' },
  pickup_point_inaccessible: { zh: '上客点无法到达', en: 'pick-up point inaccessible' },
  // ADS faults
  planning_timeout: { zh: '规划超时', en: 'planning timeout' },
  localization_degraded: { zh: '定位降级', en: 'localisation degraded' },
  prediction_module_crash: { zh: '预测模块崩溃', en: 'prediction module crash' },
  compute_overtemperature: { zh: '计算单元过温', en: 'compute over-temperature' },
  // sensor faults
  lidar_front_blocked: { zh: '前向激光雷达遮挡', en: 'front lidar blocked' },
  camera_front_glare: { zh: '前向摄像头眩光', en: 'front camera glare' },
  radar_timeout: { zh: '毫米波雷达超时', en: 'radar timeout' },
  gnss_degraded: { zh: '卫星定位降级', en: 'GNSS degraded' },
  imu_dropout: { zh: '惯性测量单元信号中断', en: 'IMU dropout' },
  // vehicle faults
  brake_pressure_low: { zh: '制动压力不足', en: 'brake pressure low' },
  steering_actuator_fault: { zh: '转向执行器故障', en: 'steering actuator fault' },
  low_voltage_12v: { zh: '12 V 低压电源欠压', en: '12 V supply low' },
  tyre_pressure_loss: { zh: '轮胎失压', en: 'tyre pressure loss' },
  // recorder faults
  storage_write_error: { zh: '存储写入错误', en: 'storage write error' },
  buffer_overflow: { zh: '缓存溢出', en: 'buffer overflow' },
  power_interruption: { zh: '供电中断', en: 'power interruption' },
  // leaving the operational design domain
  construction_zone: { zh: '施工区域', en: 'construction zone' },
  heavy_rain: { zh: '强降雨', en: 'heavy rain' },
  road_closure: { zh: '道路封闭', en: 'road closure' },
  school_zone: { zh: '学校区域', en: 'school zone' },
  outside_mapped_area: { zh: '驶出高精地图范围', en: 'outside the mapped area' },
  // remote commands
  proceed: { zh: '继续通行', en: 'proceed' },
  nudge_around_obstacle: { zh: '绕行障碍物', en: 'nudge around obstacle' },
  reroute: { zh: '重新规划路线', en: 'reroute' },
  slow_pass: { zh: '低速通过', en: 'slow pass' },
  pull_over: { zh: '靠边停车', en: 'pull over' },
  // harsh braking
  cut_in: { zh: '他车加塞', en: 'cut-in' },
  lead_vehicle_braking: { zh: '前车制动', en: 'lead vehicle braking' },
  pedestrian_crossing: { zh: '行人横穿', en: 'pedestrian crossing' },
  e_scooter: { zh: '电动自行车', en: 'e-scooter' },
  phantom_obstacle: { zh: '虚警障碍物', en: 'phantom obstacle' },
  late_amber_light: { zh: '黄灯末段', en: 'late amber light' },
  // collision counterparts
  rear_ended_by_car: { zh: '被后车追尾', en: 'rear-ended by a car' },
  side_swipe_car: { zh: '与机动车侧面刮擦', en: 'side-swipe with a car' },
  e_scooter_contact: { zh: '与电动自行车接触', en: 'contact with an e-scooter' },
  pedestrian_contact: { zh: '与行人接触', en: 'contact with a pedestrian' },
  bollard_contact: { zh: '碰撞隔离桩', en: 'contact with a bollard' },
  delivery_tricycle: { zh: '与快递三轮车接触', en: 'delivery tricycle' },
  // takeovers and state changes
  tor_timeout: { zh: '介入请求超时未响应', en: 'takeover request timed out' },
  failure: { zh: '系统故障', en: 'failure' },
  passenger: { zh: '乘客要求', en: 'passenger request' },
  dispatch: { zh: '派单出发', en: 'dispatch' },
  end_of_route: { zh: '行程结束', en: 'end of route' },
  route_start: { zh: '行程开始', en: 'route start' },
  resume: { zh: '恢复自动驾驶', en: 'resume' },
  odd_exit: { zh: '驶出设计运行范围', en: 'ODD exit' },
  collision: { zh: '碰撞', en: 'collision' },
  post_collision: { zh: '碰撞后处置', en: 'after a collision' },
  corner_taken_fast: { zh: '弯道车速过快', en: 'corner taken fast' },
  aggressive_launch: { zh: '起步过猛', en: 'aggressive launch' },
  // vehicle damage (imported accident records)
  destroyed: { zh: '报废', en: 'destroyed' },
  total_loss: { zh: '全损', en: 'total loss' },
  minor_damage: { zh: '轻微损坏', en: 'minor damage' },
  // liability (imported accident records)
  at_fault: { zh: '负有责任', en: 'at fault' },
  not_at_fault: { zh: '无责任', en: 'not at fault' },
  no_fault: { zh: '无责任', en: 'no fault' },
  shared_fault: { zh: '同等或次要责任', en: 'shared fault' },
  pending: { zh: '待认定', en: 'pending' },
  // what the record does not say
  unknown: { zh: '未记录', en: 'not recorded' },
  unspecified: { zh: '未注明', en: 'unspecified' },
};

/** Kinds of test permit (fleet.json `permits[].kind`). */
export const PERMIT_KIND_LABELS: Readonly<Record<string, Label>> = {
  road_test: { zh: '道路测试', en: 'road test' },
  driverless_test: { zh: '无人化道路测试', en: 'driverless road test' },
  demonstration: { zh: '示范应用', en: 'demonstration' },
  commercial_pilot: { zh: '商业化试点', en: 'commercial pilot' },
};

/** A cause or counterpart in the language: its term, else the code as written with underscores read as spaces. */
export function causeTerm(code: string, lang: Lang, dict: Readonly<Record<string, Label>> = CAUSE_LABELS): string {
  return dict[code]?.[lang] ?? code.replaceAll('_', ' ');
}
