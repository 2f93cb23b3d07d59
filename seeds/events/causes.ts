/** Cause codes the simulated vehicles write (free text in real logs; codes here so metrics can group them). */
export const DRIVER_CAUSES = [
  'unexpected_road_user',
  'perception_uncertainty',
  'planning_hesitation',
  'construction_cones',
  'aggressive_cut_in',
  'precautionary',
  'illegal_parking_blocking_lane',
  'traffic_police_gesture',
] as const;
export const REMOTE_CAUSES = [
  'blocked_lane',
  'vehicle_stuck',
  'unprotected_left_turn_deadlock',
  'traffic_police_gesture',
  'pickup_point_inaccessible',
] as const;
export const ADS_FAULTS = [
  'planning_timeout',
  'localization_degraded',
  'prediction_module_crash',
  'compute_overtemperature',
] as const;
export const SENSOR_FAULTS = [
  'lidar_front_blocked',
  'camera_front_glare',
  'radar_timeout',
  'gnss_degraded',
  'imu_dropout',
] as const;
export const VEHICLE_FAULTS = [
  'brake_pressure_low',
  'steering_actuator_fault',
  'low_voltage_12v',
  'tyre_pressure_loss',
] as const;
export const RECORDER_FAULTS = ['storage_write_error', 'buffer_overflow', 'power_interruption'] as const;
export const ODD_EXITS = [
  'construction_zone',
  'heavy_rain',
  'road_closure',
  'school_zone',
  'outside_mapped_area',
] as const;
export const REMOTE_COMMANDS = ['proceed', 'nudge_around_obstacle', 'reroute', 'slow_pass', 'pull_over'] as const;
export const BRAKE_CAUSES = [
  'cut_in',
  'lead_vehicle_braking',
  'pedestrian_crossing',
  'e_scooter',
  'phantom_obstacle',
  'late_amber_light',
] as const;
export const COLLISION_COUNTERPARTS = [
  'rear_ended_by_car',
  'side_swipe_car',
  'e_scooter_contact',
  'pedestrian_contact',
  'bollard_contact',
  'delivery_tricycle',
] as const;
