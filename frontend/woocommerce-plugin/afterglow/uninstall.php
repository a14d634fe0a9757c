<?php
/**
 * Removes the plugin's settings when it is deleted.
 *
 * @package Afterglow
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'afterglow_app_url' );
